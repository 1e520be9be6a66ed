package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// IntrospectionAliases is a document of n aliases of a deep introspection
// selection (types, their fields, the fields' arguments and types): 1,000
// of them are 160 kB, and were answered with tens of megabytes after
// seconds of work while the limits did not count introspection fields.
func IntrospectionAliases(n int) string {
	var b strings.Builder
	b.WriteString("{")
	for i := range n {
		fmt.Fprintf(&b, " a%d: __schema { types { name kind fields { name args { name type { name kind ofType { name kind } } }"+
			" type { name kind ofType { name kind ofType { name } } } } } }", i)
	}
	b.WriteString(" }")
	return b.String()
}

// Answer is what a server answered to one request.
type Answer struct {
	Status int
	// Bytes is the length of the body.
	Bytes int
	// Code is the extensions.code of the first error ("" when none).
	Code    string
	Elapsed time.Duration
}

// RequestBody is the JSON body of a POST /graphql with query.
func RequestBody(query string) []byte {
	b, _ := json.Marshal(map[string]any{"query": query})
	return b
}

// Post sends a request body (RequestBody) to base/graphql, with
// "Authorization: Bearer <bearer>" when bearer is set, and reads the whole
// answer.
func Post(ctx context.Context, base, bearer string, body []byte) (Answer, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/graphql", bytes.NewReader(body))
	if err != nil {
		return Answer{}, err
	}
	req.Header.Set("Content-Type", "application/json")
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	start := time.Now()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return Answer{}, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	a := Answer{Status: resp.StatusCode, Bytes: len(b), Elapsed: time.Since(start)}
	if err != nil {
		return a, err
	}
	var r struct {
		Errors []struct{ Extensions map[string]any }
	}
	_ = json.Unmarshal(b, &r)
	if len(r.Errors) > 0 {
		a.Code, _ = r.Errors[0].Extensions["code"].(string)
	}
	return a, nil
}
