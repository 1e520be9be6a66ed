package testca

import (
	"crypto"
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/digitorus/timestamp"

	"github.com/roadreg/roadreg/internal/pki"
	"github.com/roadreg/roadreg/internal/xroad"
)

// MaxBodySize is the largest request body the handler reads (64 KiB).
const MaxBodySize = 64 << 10

// ErrorHeader carries a human-readable message on OCSP and timestamping error
// answers, whose bodies are the binary error responses of RFC 6960 and RFC
// 3161.
const ErrorHeader = "X-Roadreg-Error"

// tsaPolicy is the policy of the test TSA's timestamps. This TSA has no
// policy of its own; it uses anyPolicy.
var tsaPolicy = asn1.ObjectIdentifier{2, 5, 29, 32, 0}

// Handler serves the CA over HTTP at absolute paths (mount it at the root):
//
//	GET  /testca/  a page saying what the CA offers and how to sign a CSR
//	POST /testca/sign?profile=auth|sign[&days=N]  CSR (PEM or DER) → PEM certificate
//	GET  /testca/ca.pem, /testca/ocsp.pem, /testca/tsa.pem
//	POST /testca/ocsp, GET /testca/ocsp/<base64 request>  OCSP responder (RFC 6960)
//	POST /testca/tsa  timestamping authority (RFC 3161)
//
// Bad input gets a 4xx answer with a plain-text message (for OCSP and
// timestamping: the protocol's error response, message in ErrorHeader) and
// changes nothing.
func (ca *CA) Handler() http.Handler {
	responder := NewOCSPResponder(ca.cert, ca.ocspCert, ca.ocspKey, ca.indexStatus)
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+PathHome+"{$}", ca.serveHome)
	mux.Handle("GET /testca", http.RedirectHandler(PathHome, http.StatusMovedPermanently))
	mux.HandleFunc("POST "+PathSign, ca.serveSign)
	mux.HandleFunc(PathSign, methodNotAllowed(http.MethodPost, "send the CSR (PEM or DER) with POST"))
	mux.HandleFunc("GET "+PathCACert, servePEM(ca.cert))
	mux.HandleFunc("GET "+PathOCSPPEM, servePEM(ca.ocspCert))
	mux.HandleFunc("GET "+PathTSAPEM, servePEM(ca.tsaCert))
	mux.Handle("POST "+PathOCSP, responder)
	mux.HandleFunc(PathOCSP, methodNotAllowed("GET, POST", "send OCSP requests with POST, or with GET to "+PathOCSP+"/<base64 request>"))
	mux.HandleFunc("POST "+PathTSA, ca.serveTSA)
	mux.HandleFunc(PathTSA, methodNotAllowed(http.MethodPost, "send timestamp queries with POST"))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// The GET form carries base64, which may contain "//": keep it away
		// from ServeMux's path cleaning.
		if encoded, ok := strings.CutPrefix(r.URL.EscapedPath(), PathOCSP+"/"); ok {
			if r.Method != http.MethodGet && r.Method != http.MethodHead {
				methodNotAllowed("GET", "use GET for "+PathOCSP+"/<base64 request>, or POST to "+PathOCSP)(w, r)
				return
			}
			responder.serveGet(w, encoded)
			return
		}
		mux.ServeHTTP(w, r)
	})
}

func (ca *CA) serveSign(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	days := 0
	if s := q.Get("days"); s != "" {
		var err error
		if days, err = strconv.Atoi(s); err != nil || days <= 0 {
			textError(w, http.StatusBadRequest, fmt.Sprintf("days=%q is not a positive whole number", s))
			return
		}
	}
	if _, err := profileUsage(q.Get("profile")); err != nil {
		textError(w, http.StatusBadRequest, messageOf(err))
		return
	}
	body, ok := readBody(w, r)
	if !ok {
		return
	}
	der, err := ca.Sign(body, q.Get("profile"), days)
	var xe *xroad.Error
	switch {
	case errors.As(err, &xe) && xe.Code != xroad.CodeInternal:
		textError(w, http.StatusBadRequest, xe.Message)
		return
	case err != nil:
		slog.Error("test CA: signing failed", "err", err)
		textError(w, http.StatusInternalServerError, "The certificate could not be issued; see the CA's log")
		return
	}
	w.Header().Set("Content-Type", "application/x-pem-file")
	_, _ = w.Write(certPEM(der))
}

func servePEM(cert *x509.Certificate) http.HandlerFunc {
	data := certPEM(cert.Raw)
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/x-pem-file")
		_, _ = w.Write(data)
	}
}

func (ca *CA) serveTSA(w http.ResponseWriter, r *http.Request) {
	body, ok := readBody(w, r)
	if !ok {
		return
	}
	req, err := timestamp.ParseRequest(body)
	if err != nil {
		tsaError(w, timestamp.BadDataFormat, "The body is not a valid DER timestamp query (RFC 3161)")
		return
	}
	switch req.HashAlgorithm {
	case crypto.SHA256, crypto.SHA384, crypto.SHA512:
	default:
		tsaError(w, timestamp.BadAlgorithm, "The message imprint must use SHA-256, SHA-384 or SHA-512")
		return
	}
	switch {
	case len(req.HashedMessage) != req.HashAlgorithm.Size():
		tsaError(w, timestamp.BadDataFormat, "The message imprint has the wrong length for its hash algorithm")
		return
	case req.TSAPolicyOID != nil && !req.TSAPolicyOID.Equal(tsaPolicy):
		tsaError(w, timestamp.UnacceptedPolicy, fmt.Sprintf("This TSA stamps only under policy %s", tsaPolicy))
		return
	}
	ts := timestamp.Timestamp{
		HashAlgorithm:     req.HashAlgorithm,
		HashedMessage:     req.HashedMessage,
		Time:              time.Now().UTC(),
		Accuracy:          time.Second,
		Nonce:             req.Nonce,
		Policy:            tsaPolicy,
		AddTSACertificate: req.Certificates,
	}
	reply, err := ts.CreateResponseWithOpts(ca.tsaCert, ca.tsaKey, crypto.SHA256)
	if err != nil {
		slog.Error("test CA: timestamp failed", "err", err)
		textError(w, http.StatusInternalServerError, "The timestamp could not be signed; see the CA's log")
		return
	}
	w.Header().Set("Content-Type", pki.ContentTypeTimestampReply)
	_, _ = w.Write(reply)
}

// readBody reads at most MaxBodySize bytes; on failure it has answered.
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, bool) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBodySize))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		textError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("The request body is larger than %d KiB", MaxBodySize>>10))
		return nil, false
	case err != nil:
		textError(w, http.StatusBadRequest, "The request body could not be read")
		return nil, false
	case len(body) == 0:
		textError(w, http.StatusBadRequest, "The request body is empty")
		return nil, false
	}
	return body, true
}

func textError(w http.ResponseWriter, code int, msg string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(code)
	_, _ = io.WriteString(w, msg+"\n")
}

func ocspError(w http.ResponseWriter, code int, body []byte, msg string) {
	w.Header().Set("Content-Type", pki.ContentTypeOCSPResponse)
	w.Header().Set(ErrorHeader, msg)
	w.WriteHeader(code)
	_, _ = w.Write(body)
}

func tsaError(w http.ResponseWriter, info timestamp.FailureInfo, msg string) {
	body, err := timestamp.CreateErrorResponse(timestamp.Rejection, info)
	if err != nil {
		textError(w, http.StatusBadRequest, msg)
		return
	}
	w.Header().Set("Content-Type", pki.ContentTypeTimestampReply)
	w.Header().Set(ErrorHeader, msg)
	w.WriteHeader(http.StatusBadRequest)
	_, _ = w.Write(body)
}

func methodNotAllowed(allow, hint string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Allow", allow)
		textError(w, http.StatusMethodNotAllowed, fmt.Sprintf("Method %s is not allowed here: %s", r.Method, hint))
	}
}

// messageOf is the human part of an error.
func messageOf(err error) string {
	var xe *xroad.Error
	if errors.As(err, &xe) {
		return xe.Message
	}
	return err.Error()
}
