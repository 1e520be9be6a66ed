package xroad

import (
	"net"
	"strings"

	"golang.org/x/net/idna"
)

// ValidateHostAddress reports whether s is an IP literal or a valid DNS name
// (internationalised names allowed), as X-Road requires for a security
// server's address.
func ValidateHostAddress(field, s string) error {
	if s == "" {
		return BadInput(field, "%s is required", field)
	}
	if len(s) > MaxIdentifierPartLength {
		return BadInput(field, "%s is longer than %d characters", field, MaxIdentifierPartLength)
	}
	if net.ParseIP(s) != nil {
		return nil
	}
	ascii, err := idna.Lookup.ToASCII(s)
	if err != nil || !isDNSName(ascii) {
		return BadInput(field, "%s %q is neither an IP address nor a valid host name", field, s)
	}
	return nil
}

func isDNSName(s string) bool {
	s = strings.TrimSuffix(s, ".")
	if s == "" || len(s) > 253 {
		return false
	}
	for _, label := range strings.Split(s, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for _, c := range label {
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
				return false
			}
		}
	}
	return true
}
