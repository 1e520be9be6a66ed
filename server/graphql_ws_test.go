package main

// GraphQL subscriptions over websockets: both protocols, both ways to authenticate, origin checks and permissions.

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/roadreg/roadreg/internal/viewer"
)

func TestWebsocketSubscriptions(t *testing.T) {
	t.Parallel()
	e := newCentral(t)
	const sub = `subscription { globalConfigurationChanged { version instanceIdentifier } }`
	for _, proto := range []string{"graphql-transport-ws", "graphql-ws"} {
		for _, auth := range []string{"cookie", "connectionParams"} {
			t.Run(proto+"/"+auth, func(t *testing.T) {
				o := wsOptions{protocol: proto}
				client := e.secoff
				if auth == "cookie" {
					o.useCookie = true
				} else {
					key := e.srv.apiKeyClient(t, viewer.SecurityOfficer)
					o.bearer = key.bearer
					client = key
				}
				e.srv.waitSubscriptions(t, 0) // the previous case's socket is gone
				s, resp, err := client.dialWS(t, o)
				if err != nil {
					t.Fatal(err)
				}
				if resp.Header.Get("Sec-Websocket-Protocol") != proto {
					t.Fatalf("negotiated %q", resp.Header.Get("Sec-Websocket-Protocol"))
				}
				if err := s.waitAck(t); err != nil {
					t.Fatal(err)
				}
				s.start(t, sub, nil)
				e.srv.waitSubscriptions(t, 1)
				e.secoff.ok(t, `mutation { generateGlobalConfiguration { version } }`, nil, nil)
				data, errs := s.next(t, 5*time.Second)
				if len(errs) > 0 || !bytes.Contains(data, []byte(`"instanceIdentifier":"DEV"`)) {
					t.Fatalf("event %s %v", data, errs)
				}
			})
		}
	}
	t.Run("no credentials: closed with 4403", func(t *testing.T) {
		s, _, err := e.srv.anonymous().dialWS(t, wsOptions{})
		if err != nil {
			t.Fatal(err)
		}
		err = s.waitAck(t)
		var ce *websocket.CloseError
		if !asCloseError(err, &ce) || ce.Code != 4403 {
			t.Fatalf("want close 4403, got %v", err)
		}
	})
	t.Run("foreign origin refused", func(t *testing.T) {
		_, resp, err := e.secoff.dialWS(t, wsOptions{useCookie: true, origin: "http://evil.example"})
		if err == nil || resp == nil || resp.StatusCode != http.StatusForbidden {
			t.Fatalf("foreign origin: %v %v", err, resp)
		}
	})
	t.Run("own origin accepted", func(t *testing.T) {
		s, _, err := e.secoff.dialWS(t, wsOptions{useCookie: true, origin: e.srv.URL})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.waitAck(t); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("subscription needs the permission", func(t *testing.T) {
		s, _, err := e.secoff.dialWS(t, wsOptions{useCookie: true})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.waitAck(t); err != nil {
			t.Fatal(err)
		}
		s.start(t, `subscription { managementRequestChanged { id } }`, nil)
		_, errs := s.next(t, 5*time.Second)
		if len(errs) == 0 || !strings.Contains(strings.ToUpper(toJSON(errs)), "FORBIDDEN") {
			t.Fatalf("security officer subscribed to management requests: %v", errs)
		}
	})
}

func asCloseError(err error, target **websocket.CloseError) bool {
	ce, ok := err.(*websocket.CloseError)
	if ok {
		*target = ce
	}
	return ok
}

func toJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
