package main

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestForwardedForFromTrustedProxiesOnly(t *testing.T) {
	t.Parallel()
	trusted, err := parseTrustedProxies([]string{"10.0.0.0/24", "192.0.2.7", "2001:db8::/32"})
	if err != nil {
		t.Fatal(err)
	}
	var seen string
	h := forwardedFor(trusted, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { seen = clientIP(r) }))
	for _, tt := range []struct {
		name, peer string
		xff        []string
		want       string
	}{
		{"from the load balancer", "10.0.0.5:4711", []string{"203.0.113.9"}, "203.0.113.9"},
		{"through two trusted proxies", "192.0.2.7:1", []string{"203.0.113.9, 10.0.0.9"}, "203.0.113.9"},
		{"a made-up address before the real one", "10.0.0.5:1", []string{"1.2.3.4, 203.0.113.9"}, "203.0.113.9"},
		{"header lines are joined", "10.0.0.5:1", []string{"1.2.3.4", "203.0.113.9"}, "203.0.113.9"},
		{"IPv6", "[2001:db8::1]:1", []string{"2001:db8:ffff::1, 2a00::5"}, "2a00::5"},
		{"not from a trusted proxy", "198.51.100.1:1", []string{"203.0.113.9"}, "198.51.100.1"},
		{"no header", "10.0.0.5:1", nil, "10.0.0.5"},
		{"only trusted addresses", "10.0.0.5:1", []string{"10.0.0.6"}, "10.0.0.5"},
		{"garbage", "10.0.0.5:1", []string{"not an address"}, "10.0.0.5"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, "/", nil)
			r.RemoteAddr = tt.peer
			for _, v := range tt.xff {
				r.Header.Add("X-Forwarded-For", v)
			}
			h.ServeHTTP(httptest.NewRecorder(), r)
			if seen != tt.want {
				t.Errorf("client %s, want %s", seen, tt.want)
			}
		})
	}
	if _, err := parseTrustedProxies([]string{"lb.example.org"}); err == nil {
		t.Error("a host name was taken as a trusted proxy")
	}
	// Without trusted proxies the header is never read.
	plain := forwardedFor(nil, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { seen = clientIP(r) }))
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.RemoteAddr, r.Header["X-Forwarded-For"] = "10.0.0.5:1", []string{"203.0.113.9"}
	plain.ServeHTTP(httptest.NewRecorder(), r)
	if seen != "10.0.0.5" {
		t.Errorf("without trusted proxies: %s", seen)
	}
}
