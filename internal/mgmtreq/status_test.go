package mgmtreq

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"math/big"
	"testing"
	"time"

	"github.com/roadreg/roadreg/internal/xroad"
)

func selfSigned(t *testing.T) (*x509.Certificate, *ecdsa.PrivateKey) {
	t.Helper()
	k, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "SS1"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tpl, tpl, &k.PublicKey, k)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := x509.ParseCertificate(der)
	return c, k
}

func TestStatusQuery(t *testing.T) {
	cert, key := selfSigned(t)
	other, otherKey := selfSigned(t)
	now := time.Now()
	body, err := BuildStatusQuery(17, cert.Raw, key, now)
	if err != nil {
		t.Fatal(err)
	}
	q, err := ParseStatusQuery(body)
	if err != nil {
		t.Fatal(err)
	}
	if err := VerifyStatusQuery(q, cert, now.Add(time.Minute)); err != nil {
		t.Fatalf("valid query refused: %v", err)
	}
	cases := map[string]func() (StatusQuery, *x509.Certificate, time.Time){
		"other certificate": func() (StatusQuery, *x509.Certificate, time.Time) { return q, other, now },
		"stale":             func() (StatusQuery, *x509.Certificate, time.Time) { return q, cert, now.Add(10 * time.Minute) },
		"other request id": func() (StatusQuery, *x509.Certificate, time.Time) {
			q2 := q
			q2.RequestID = 18
			return q2, cert, now
		},
		"signed by another key": func() (StatusQuery, *x509.Certificate, time.Time) {
			b, _ := BuildStatusQuery(17, cert.Raw, otherKey, now)
			var q2 StatusQuery
			_ = json.Unmarshal(b, &q2)
			return q2, cert, now
		},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			q, cert, at := c()
			if err := VerifyStatusQuery(q, cert, at); !xroad.IsCode(err, xroad.CodeForbidden) {
				t.Fatalf("want FORBIDDEN, got %v", err)
			}
		})
	}
	if _, err := ParseStatusQuery([]byte(`{"requestId":0}`)); err == nil {
		t.Fatal("malformed query accepted")
	}
}
