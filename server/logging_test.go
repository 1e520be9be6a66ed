package main

import (
	"bytes"
	"errors"
	"log/slog"
	"strings"
	"testing"
)

// TestLogRedaction logs secrets every way the server might and finds none
// of them in the output, and no line longer than the bound; values that
// only look alike (token ids, ordinary words) stay.
func TestLogRedaction(t *testing.T) {
	const secret = "S3cret-Value-4711"
	for _, format := range []string{"text", "json"} {
		t.Run(format, func(t *testing.T) {
			var buf bytes.Buffer
			prev := slog.Default()
			defer slog.SetDefault(prev)
			setupLogging(format, "debug", &buf)

			slog.Info("attribute keys", "pin", secret, "softTokenPin", secret, "old_pin", secret, "newPIN", secret,
				"password", secret, "Authorization", "Bearer "+secret, "Cookie", "roadreg_session="+secret,
				"X-Api-Key", secret, "privateKey", secret, "sessionToken", secret)
			slog.Debug("inside text",
				"data", `{"name":"x","pin":"`+secret+`","oldPin": 4711`+secret[:0]+`}`,
				"err", errors.New(`json request body could not be decoded: unexpected EOF body:{"query": "mutation { loginToken(tokenId: \"1\", pin: \"`+secret+`\") { id } }"`),
				"query", `mutation { initializeSecurityServer(input: {softTokenPin: "`+secret+`"}) { id } }`,
				"form", "username=alice&password="+secret+"&x=1",
				"header", "authorization: bearer "+secret,
				"db", "postgres://roadreg:"+secret+"@db:5432/cs")
			slog.Warn("message with Bearer " + secret)
			slog.Error("groups and structured values",
				slog.Group("request", "password", secret, slog.Group("inner", "pin", secret)),
				"input", struct {
					Name string `json:"name"`
					PIN  string `json:"pin"`
				}{"x", secret})
			slog.With("pin", secret).WithGroup("g").Info("with attributes", "apiKey", secret)
			slog.Info("long", "value", strings.Repeat("ä", 100_000))
			slog.Info("look-alikes", "token", "softToken-0", "tokenId", "42", "status", "mapping: done")

			out := buf.String()
			if strings.Contains(out, secret) || strings.Contains(out, "4711") {
				t.Errorf("a secret reached the log:\n%s", out)
			}
			if n := strings.Count(out, redacted); n < 20 {
				t.Errorf("%d redactions, want at least 20:\n%s", n, out)
			}
			for _, want := range []string{"softToken-0", "42", "mapping: done"} {
				if !strings.Contains(out, want) {
					t.Errorf("%q was redacted:\n%s", want, out)
				}
			}
			for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
				if len(line) > 4*maxLogValue {
					t.Errorf("a line of %d bytes: %.200s…", len(line), line)
				}
			}
		})
	}
}
