package main

import "strings"

// isSessionCookie reports whether a cookie is a Roadreg session cookie (of
// either server role, with or without the __Host- prefix).
func isSessionCookie(name string) bool {
	return strings.HasPrefix(strings.TrimPrefix(name, "__Host-"), "roadreg_") && strings.HasSuffix(name, "_session")
}

// sessionToken returns the token of the session cookie in a Cookie header.
func sessionToken(header string) string {
	for _, part := range strings.Split(header, "; ") {
		if name, value, ok := strings.Cut(part, "="); ok && isSessionCookie(name) {
			return value
		}
	}
	return ""
}
