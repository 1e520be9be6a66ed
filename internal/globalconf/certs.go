package globalconf

import (
	"bytes"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"strings"
)

// decodeBase64 decodes base64Binary text, ignoring the white space XML
// allows inside it.
func decodeBase64(s string) ([]byte, error) {
	s = strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\t', '\r', '\n':
			return -1
		}
		return r
	}, s)
	return base64.StdEncoding.DecodeString(s)
}

var pemPrefix = []byte("-----BEGIN")

// parseCertText parses a certificate element: base64 of DER or, as X-Road's
// own central server writes CA certificates, base64 of PEM text.
func parseCertText(s string) (*x509.Certificate, error) {
	b, err := decodeBase64(s)
	if err != nil {
		return nil, fmt.Errorf("not base64: %w", err)
	}
	if len(b) == 0 {
		return nil, errors.New("empty certificate")
	}
	if bytes.HasPrefix(bytes.TrimSpace(b), pemPrefix) {
		block, _ := pem.Decode(b)
		if block == nil || block.Type != "CERTIFICATE" {
			return nil, errors.New("base64 of PEM text without a CERTIFICATE block")
		}
		b = block.Bytes
	}
	return x509.ParseCertificate(b)
}

// parseCertTexts parses a list of certificate elements; what names them in errors.
func parseCertTexts(what string, texts []string) ([]*x509.Certificate, error) {
	certs := make([]*x509.Certificate, 0, len(texts))
	for i, t := range texts {
		c, err := parseCertText(t)
		if err != nil {
			return nil, fmt.Errorf("%s #%d: %w", what, i+1, err)
		}
		certs = append(certs, c)
	}
	return certs, nil
}

// certText is the base64 of a certificate's DER, as written into XML.
func certText(c *x509.Certificate) string {
	if c == nil {
		return ""
	}
	return base64.StdEncoding.EncodeToString(c.Raw)
}

func certTexts(cs []*x509.Certificate) []string {
	out := make([]string, 0, len(cs))
	for _, c := range cs {
		if c != nil {
			out = append(out, certText(c))
		}
	}
	return out
}

// appendUniqueCerts appends the certificates of add not yet in dst (by DER).
func appendUniqueCerts(dst []*x509.Certificate, add ...*x509.Certificate) []*x509.Certificate {
	for _, c := range add {
		if c == nil {
			continue
		}
		dup := false
		for _, d := range dst {
			if d.Equal(c) {
				dup = true
				break
			}
		}
		if !dup {
			dst = append(dst, c)
		}
	}
	return dst
}
