package main

import (
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"

	"github.com/roadreg/roadreg/internal/globalconf"
	"github.com/roadreg/roadreg/internal/viewer"
	"github.com/roadreg/roadreg/internal/xroad"
)

// The browser-facing surface (README.md, "Browser-facing surface").
//
// A page on an attacker's host name that resolves to this server (DNS
// rebinding) is same-origin with it in the browser's eyes; only the Host
// header tells the two apart. So the browser-facing endpoints — /graphql,
// /auth/*, the admin app and the anchor download — answer only host names
// the server was told about: the listen address, localhost, 127.0.0.1 and
// [::1] with the listen port, --public-url and --allowed-host. Everything
// else gets 421 Misdirected Request.
//
// The central server's machine endpoints (global configuration, the watch
// channel, the management service) and /healthz and /metrics answer any
// Host: security servers and monitoring reach them under whatever address
// the anchor or their configuration names (an IP address, a load balancer's
// name), they carry no cookie-based credentials a rebinding page could
// borrow, and what they serve is public or signed.

// machinePaths answer any Host (paths and their subtrees).
var machinePaths = []string{"/healthz", "/metrics", globalconf.PathDirectory, "/V6", "/managementservice"}

// hostName is an allowed Host: a name (lower case, IPv6 without brackets)
// and a port ("" for any port).
type hostName struct{ name, port string }

// hostPolicy is the set of host names the browser-facing endpoints answer.
type hostPolicy []hostName

// newHostPolicy allows the listen address and the loopback names with the
// listen port, the public URL's host, the --allowed-host values and the
// hosts of the allowed origins.
func newHostPolicy(listen, publicURL string, extra, origins []string) (hostPolicy, error) {
	var p hostPolicy
	if host, port, err := net.SplitHostPort(listen); err == nil {
		if ip := net.ParseIP(host); host != "" && (ip == nil || !ip.IsUnspecified()) {
			p = append(p, hostName{strings.ToLower(host), port})
		}
		for _, lo := range []string{"localhost", "127.0.0.1", "::1"} {
			p = append(p, hostName{lo, port})
		}
	}
	if publicURL != "" {
		u, err := url.Parse(publicURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" {
			return nil, fmt.Errorf("--public-url must be an http:// or https:// URL with a host name, not %q", publicURL)
		}
		p = append(p, hostName{strings.ToLower(u.Hostname()), u.Port()})
	}
	for _, h := range extra {
		n := parseHost(h)
		if n.name == "" || strings.ContainsAny(n.name, "/ ") {
			return nil, fmt.Errorf("--allowed-host must be a host name or host:port, not %q", h)
		}
		p = append(p, n)
	}
	for _, o := range origins {
		if u, err := url.Parse(o); err == nil && u.Host != "" {
			p = append(p, hostName{strings.ToLower(u.Hostname()), u.Port()})
		}
	}
	return p, nil
}

// parseHost splits a Host header value (name, name:port, [v6]:port, [v6]).
func parseHost(h string) hostName {
	if host, port, err := net.SplitHostPort(h); err == nil {
		return hostName{strings.ToLower(host), port}
	}
	return hostName{strings.ToLower(strings.TrimSuffix(strings.TrimPrefix(h, "["), "]")), ""}
}

// allows reports whether a request's Host is one of the policy's.
func (p hostPolicy) allows(host string) bool {
	h := parseHost(host)
	if h.name == "" {
		return false
	}
	for _, a := range p {
		if a.name == h.name && (a.port == "" || a.port == h.port) {
			return true
		}
	}
	return false
}

func isMachinePath(p string) bool {
	for _, m := range machinePaths {
		if p == m || strings.HasPrefix(p, m+"/") {
			return true
		}
	}
	return false
}

// browserSurface wraps every route: HSTS when browsers reach the server
// over TLS, and the Host check on all but the machine endpoints.
func (a *app) browserSurface(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if a.authn.secureCookies {
			w.Header().Set("Strict-Transport-Security", "max-age=31536000")
		}
		if !isMachinePath(r.URL.Path) && !a.authn.hosts.allows(r.Host) {
			writeJSONError(w, http.StatusMisdirectedRequest, xroad.CodeForbidden, fmt.Sprintf(
				"this server does not answer to the host name %q; its administrator can allow it with --allowed-host or --public-url", r.Host))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// sessionCookieName names the admin app's session cookie. Browsers send a
// host's cookies to every port of it, so the central and the security
// server on one host need different names; over TLS the __Host- prefix
// makes browsers insist on Secure, Path=/ and no Domain.
func sessionCookieName(role viewer.ServerRole, secure bool) string {
	name := "roadreg_ss_session"
	if role == viewer.Central {
		name = "roadreg_cs_session"
	}
	if secure {
		name = "__Host-" + name
	}
	return name
}

// publicOrigin is the browser origin of a --public-url ("" for none).
func publicOrigin(publicURL string) string {
	u, err := url.Parse(publicURL)
	if publicURL == "" || err != nil {
		return ""
	}
	return u.Scheme + "://" + u.Host
}
