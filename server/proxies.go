package main

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// parseTrustedProxies reads --trusted-proxy values: IP addresses or
// CIDR prefixes of the load balancers in front of the server.
func parseTrustedProxies(values []string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, v := range values {
		if p, err := netip.ParsePrefix(v); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(v)
		if err != nil {
			return nil, fmt.Errorf("--trusted-proxy %q is neither an IP address nor a CIDR prefix", v)
		}
		out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
	}
	return out, nil
}

// forwardedFor takes the client's address from X-Forwarded-For when the
// request comes from a trusted proxy: the last address in the header that
// is not itself a trusted proxy (the ones before it may be made up by the
// client). The per-address limits (login throttling, the management
// service's rate limit) and the logs then see the client, not the load
// balancer. Without trusted proxies, or from anybody else, the header is
// ignored.
func forwardedFor(trusted []netip.Prefix, next http.Handler) http.Handler {
	if len(trusted) == 0 {
		return next
	}
	isTrusted := func(s string) bool {
		a, err := netip.ParseAddr(strings.TrimSpace(s))
		if err != nil {
			return false
		}
		a = a.Unmap()
		for _, p := range trusted {
			if p.Contains(a) {
				return true
			}
		}
		return false
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		peer, _, err := net.SplitHostPort(r.RemoteAddr)
		hops := r.Header.Values("X-Forwarded-For")
		if err != nil || len(hops) == 0 || !isTrusted(peer) {
			next.ServeHTTP(w, r)
			return
		}
		var addrs []string
		for _, h := range hops {
			addrs = append(addrs, strings.Split(h, ",")...)
		}
		for i := len(addrs) - 1; i >= 0; i-- {
			a := strings.TrimSpace(addrs[i])
			if isTrusted(a) {
				continue
			}
			if ip, err := netip.ParseAddr(a); err == nil {
				r = r.Clone(r.Context())
				r.RemoteAddr = net.JoinHostPort(ip.Unmap().String(), "0")
			}
			break
		}
		next.ServeHTTP(w, r)
	})
}
