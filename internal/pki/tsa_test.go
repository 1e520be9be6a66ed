package pki

import (
	"context"
	"crypto"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/digitorus/timestamp"

	"github.com/roadreg/roadreg/internal/xroad"
)

// tsaServer is a TSA whose answer tamper may change before it is signed.
func tsaServer(t *testing.T, cert *x509.Certificate, key crypto.Signer, tamper func(*timestamp.Timestamp) (status int, reject bool)) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		req, err := timestamp.ParseRequest(body)
		if err != nil || r.Header.Get("Content-Type") != ContentTypeTimestampQuery {
			http.Error(w, "bad query", http.StatusBadRequest)
			return
		}
		if req.HashAlgorithm != crypto.SHA256 || req.Nonce == nil || !req.Certificates {
			http.Error(w, "query lacks SHA-256, nonce or certReq", http.StatusBadRequest)
			return
		}
		ts := &timestamp.Timestamp{HashAlgorithm: req.HashAlgorithm, HashedMessage: req.HashedMessage,
			Time: time.Now(), Nonce: req.Nonce, Policy: asn1.ObjectIdentifier{2, 5, 29, 32, 0}, AddTSACertificate: req.Certificates}
		status, reject := http.StatusOK, false
		if tamper != nil {
			status, reject = tamper(ts)
		}
		var reply []byte
		if reject {
			reply, err = timestamp.CreateErrorResponse(timestamp.Rejection, timestamp.SystemFailure)
		} else {
			reply, err = ts.CreateResponseWithOpts(cert, key, crypto.SHA256)
		}
		if err != nil {
			t.Error(err)
		}
		w.Header().Set("Content-Type", ContentTypeTimestampReply)
		w.WriteHeader(status)
		w.Write(reply)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestRequestTimestamp(t *testing.T) {
	ca := newTestCA(t, "TSA CA")
	tsaCert, tsaKey := ca.leaf(t, &x509.Certificate{Subject: pkix.Name{CommonName: "TSA"},
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageTimeStamping}})
	otherCert, _ := ca.leaf(t, &x509.Certificate{Subject: pkix.Name{CommonName: "Other"}, KeyUsage: x509.KeyUsageDigitalSignature})
	data := []byte("global configuration to stamp")
	for _, tc := range []struct {
		name   string
		tamper func(*timestamp.Timestamp) (int, bool)
		code   string
		want   string
	}{
		{"valid", nil, "", ""},
		{"wrong nonce", func(ts *timestamp.Timestamp) (int, bool) { ts.Nonce = big.NewInt(1); return 200, false },
			CodeTimestampVerificationFailed, "nonce"},
		{"no nonce", func(ts *timestamp.Timestamp) (int, bool) { ts.Nonce = nil; return 200, false },
			CodeTimestampVerificationFailed, "nonce"},
		{"other data", func(ts *timestamp.Timestamp) (int, bool) { ts.HashedMessage = make([]byte, 32); return 200, false },
			CodeTimestampVerificationFailed, "other data"},
		{"no certificate", func(ts *timestamp.Timestamp) (int, bool) { ts.AddTSACertificate = false; return 200, false },
			CodeTimestampVerificationFailed, "TSA certificate"},
		{"rejection", func(*timestamp.Timestamp) (int, bool) { return 200, true },
			CodeTimestampVerificationFailed, "rejected"},
		{"HTTP error", func(*timestamp.Timestamp) (int, bool) { return 503, true },
			xroad.CodeTimestampingServiceUnreachable, "HTTP 503"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := tsaServer(t, tsaCert, tsaKey, tc.tamper)
			ts, reply, err := RequestTimestamp(context.Background(), srv.Client(), srv.URL, data)
			if tc.code != "" {
				assertCode(t, err, tc.code)
				if !strings.Contains(err.Error(), tc.want) {
					t.Errorf("message %q, want it to mention %q", err, tc.want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(reply) == 0 || len(ts.RawToken) == 0 || time.Since(ts.Time) > time.Minute {
				t.Errorf("reply %d bytes, token %d bytes, time %v", len(reply), len(ts.RawToken), ts.Time)
			}
			if err := VerifyTimestampSigner(ts, tsaCert); err != nil {
				t.Errorf("VerifyTimestampSigner(TSA): %v", err)
			}
			assertCode(t, VerifyTimestampSigner(ts, otherCert), CodeTimestampVerificationFailed)
		})
	}
	t.Run("unreachable", func(t *testing.T) {
		srv := httptest.NewServer(http.NotFoundHandler())
		url := srv.URL
		srv.Close()
		_, _, err := RequestTimestamp(context.Background(), nil, url, data)
		assertCode(t, err, xroad.CodeTimestampingServiceUnreachable)
	})
}
