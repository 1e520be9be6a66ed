package security

import (
	"crypto/x509"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/roadreg/roadreg/internal/globalconf"
	"github.com/roadreg/roadreg/internal/xroad"
)

func TestManagementClient(t *testing.T) {
	plain := &http.Client{}
	s := &Service{http: plain}
	cert := &x509.Certificate{Raw: []byte("pinned")}
	cases := []struct {
		name     string
		ms       globalconf.ManagementService
		wantCode string // "" = a client
		pinned   bool
	}{
		{"http", globalconf.ManagementService{AuthCertRegServiceAddress: "http://cs:8080/managementservice/"}, "", false},
		{"https with a certificate", globalconf.ManagementService{AuthCertRegServiceAddress: "https://cs:4001/managementservice/", AuthCertRegServiceCert: cert}, "", true},
		{"https without a certificate", globalconf.ManagementService{AuthCertRegServiceAddress: "https://cs:4001/managementservice/"}, xroad.CodeRegistrationFailed, false},
		{"not a URL", globalconf.ManagementService{AuthCertRegServiceAddress: "cs:4001"}, xroad.CodeRegistrationFailed, false},
		{"other scheme", globalconf.ManagementService{AuthCertRegServiceAddress: "ftp://cs/"}, xroad.CodeRegistrationFailed, false},
	}
	for _, tc := range cases {
		c, err := s.managementClient(tc.ms)
		if got := xroad.CodeOf(err); got != tc.wantCode {
			t.Errorf("%s: code %q (%v), want %q", tc.name, got, err, tc.wantCode)
			continue
		}
		if tc.wantCode != "" {
			continue
		}
		if !tc.pinned {
			if c != plain {
				t.Errorf("%s: not the plain client", tc.name)
			}
			continue
		}
		tr, ok := c.Transport.(*http.Transport)
		if !ok || tr.TLSClientConfig == nil || tr.TLSClientConfig.VerifyConnection == nil {
			t.Fatalf("%s: no pinning TLS configuration", tc.name)
		}
		if plain.Transport != nil {
			t.Errorf("%s: the shared client was changed", tc.name)
		}
	}
}

func TestRegistrationError(t *testing.T) {
	cases := []struct {
		in       error
		wantCode string
		wantMsg  string
		wantMD   []string
	}{
		{xroad.Errorf(xroad.CodeManagementRequestSendFailed, "Sending failed: connection refused"), xroad.CodeRegistrationFailed, "Failed to register certificate: Sending failed: connection refused", nil},
		{errors.New("boom"), xroad.CodeRegistrationFailed, "Failed to register certificate", nil},
		{xroad.Errorf(xroad.CodeManagementRequestExists, "Certificate is already submitted for registration with request '7'").WithMetadata("7"),
			xroad.CodeManagementRequestExists, "the central server refused the request: Certificate is already submitted", []string{"7"}},
	}
	for _, tc := range cases {
		err := registrationError(tc.in)
		var xe *xroad.Error
		if !errors.As(err, &xe) || xe.Code != tc.wantCode || !strings.Contains(xe.Message, tc.wantMsg) || len(xe.Metadata) != len(tc.wantMD) {
			t.Errorf("registrationError(%v) = %v", tc.in, err)
		}
	}
}
