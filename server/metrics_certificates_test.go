package main

import (
	"crypto/x509"
	"fmt"
	"strconv"
	"strings"
	"testing"
)

// certificateExpiryMetric is the value of a certificate's
// roadreg_certificate_not_after_timestamp_seconds series with these labels
// in /metrics, and whether it is there.
func certificateExpiryMetric(t *testing.T, baseURL, sha256, usage, status string, active, acme bool) (float64, bool) {
	t.Helper()
	prefix := fmt.Sprintf(`roadreg_certificate_not_after_timestamp_seconds{acme="%t",active="%t",certificate_sha256="%s",status="%s",usage="%s"} `,
		acme, active, sha256, status, usage)
	for _, line := range strings.Split(httpBody(t, baseURL+"/metrics"), "\n") {
		if v, ok := strings.CutPrefix(line, prefix); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				t.Fatalf("%s: %v", line, err)
			}
			return f, true
		}
	}
	return 0, false
}

// TestCertificateExpiryMetrics: /metrics of a security server has each
// certificate's expiry time with its hash, usage, status and activity, so
// that operators can alert on certificates about to expire; it follows the
// certificates (a deleted one disappears).
func TestCertificateExpiryMetrics(t *testing.T) {
	t.Parallel()
	e, sign := newRegisteredSS(t)
	auth := e.certify(t, e.generateKey(t, e.token(t, "SOFTWARE").ID, "auth", "EC").ID, "AUTHENTICATION")
	for _, c := range []certNode{sign, auth} {
		cert, err := x509.ParseCertificate(mustDER(t, c.PEM))
		if err != nil {
			t.Fatal(err)
		}
		got, ok := certificateExpiryMetric(t, e.srv.URL, c.Sha256, c.Usage, c.Status, c.Active, false)
		if !ok || got != float64(cert.NotAfter.Unix()) {
			t.Errorf("%s certificate (%s, active %t): metric %v (present %t), want %d", c.Usage, c.Status, c.Active, got, ok, cert.NotAfter.Unix())
		}
	}

	e.officer.ok(t, `mutation($id: ID!) { deleteCertificate(certificateId: $id) }`, map[string]any{"id": auth.ID}, nil)
	if _, ok := certificateExpiryMetric(t, e.srv.URL, auth.Sha256, auth.Usage, auth.Status, auth.Active, false); ok {
		t.Error("a deleted certificate is still in /metrics")
	}
}
