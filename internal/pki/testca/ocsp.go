package testca

import (
	"bytes"
	"crypto"
	"crypto/x509"
	"encoding/base64"
	"fmt"
	"log/slog"
	"math/big"
	"net/http"
	"net/url"
	"time"

	"golang.org/x/crypto/ocsp"

	"github.com/roadreg/roadreg/internal/pki"
	"github.com/roadreg/roadreg/internal/xroad"
)

// ocspValidity is the distance between thisUpdate and nextUpdate.
const ocspValidity = time.Hour

// CertStatus is what an OCSP responder says of a certificate.
type CertStatus struct {
	Status    int // ocsp.Good, ocsp.Revoked or ocsp.Unknown
	RevokedAt time.Time
	Reason    int // the revocation reason (ocsp.KeyCompromise, …)
}

// OCSPResponder is an OCSP responder (RFC 6960) for the certificates of one
// issuer: the test CA's own, or that of another CA whose key a test holds
// (an ACME test server's intermediate, which answers no OCSP itself).
type OCSPResponder struct {
	issuer *x509.Certificate
	cert   *x509.Certificate // signs the responses: a delegated responder, or the issuer
	key    crypto.Signer
	status func(serial *big.Int) (CertStatus, error)
}

// NewOCSPResponder returns a responder for what issuer issued. Responses
// are signed with key, the key of responderCert (a delegated OCSP
// responder) or, when responderCert is nil, of the issuer itself; status
// tells a serial's status (an error answers internalError).
func NewOCSPResponder(issuer, responderCert *x509.Certificate, key crypto.Signer, status func(serial *big.Int) (CertStatus, error)) *OCSPResponder {
	if responderCert == nil {
		responderCert = issuer
	}
	return &OCSPResponder{issuer: issuer, cert: responderCert, key: key, status: status}
}

// ServeHTTP answers a DER OCSP request sent with POST.
func (o *OCSPResponder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		methodNotAllowed(http.MethodPost, "send OCSP requests with POST")(w, r)
		return
	}
	if body, ok := readBody(w, r); ok {
		o.answer(w, body)
	}
}

// serveGet answers the GET form: the URL-escaped base64 of a DER request.
func (o *OCSPResponder) serveGet(w http.ResponseWriter, encoded string) {
	if len(encoded) > MaxBodySize {
		textError(w, http.StatusRequestURITooLong, "The OCSP request in the URL is too long; use POST")
		return
	}
	text, err := url.PathUnescape(encoded)
	if err == nil {
		var der []byte
		if der, err = base64.StdEncoding.DecodeString(text); err == nil {
			o.answer(w, der)
			return
		}
	}
	ocspError(w, http.StatusBadRequest, ocsp.MalformedRequestErrorResponse,
		"The OCSP request in the URL is not URL-escaped base64 of a DER request")
}

// answer answers one DER OCSP request.
func (o *OCSPResponder) answer(w http.ResponseWriter, der []byte) {
	req, err := ocsp.ParseRequest(der)
	if err != nil {
		ocspError(w, http.StatusBadRequest, ocsp.MalformedRequestErrorResponse, "The body is not a valid (unsigned) DER OCSP request")
		return
	}
	if !o.isIssuerOf(req) {
		ocspError(w, http.StatusForbidden, ocsp.UnauthorizedErrorResponse,
			fmt.Sprintf("This responder answers only for certificates issued by %q", pki.SubjectDN(o.issuer)))
		return
	}
	st, err := o.status(req.SerialNumber)
	if err != nil {
		slog.Error("test CA: OCSP status lookup failed", "err", err)
		ocspError(w, http.StatusInternalServerError, ocsp.InternalErrorErrorResponse, "The certificate status could not be read; see the CA's log")
		return
	}
	now := time.Now().UTC().Truncate(time.Second)
	tmpl := ocsp.Response{
		Status:       st.Status,
		SerialNumber: req.SerialNumber,
		ThisUpdate:   now,
		NextUpdate:   now.Add(ocspValidity),
		IssuerHash:   req.HashAlgorithm,
	}
	if st.Status == ocsp.Revoked {
		tmpl.RevokedAt, tmpl.RevocationReason = st.RevokedAt, st.Reason
	}
	if o.cert != o.issuer {
		tmpl.Certificate = o.cert
	}
	resp, err := ocsp.CreateResponse(o.issuer, o.cert, tmpl, o.key)
	if err != nil {
		slog.Error("test CA: OCSP response failed", "err", err)
		ocspError(w, http.StatusInternalServerError, ocsp.InternalErrorErrorResponse, "The OCSP response could not be signed; see the CA's log")
		return
	}
	w.Header().Set("Content-Type", pki.ContentTypeOCSPResponse)
	w.Header().Set("Cache-Control", "no-cache")
	_, _ = w.Write(resp)
}

// isIssuerOf reports whether req's certificate id names the issuer: the
// issuer name and key hashes are compared with those of a request built for
// the issuer with the same hash algorithm.
func (o *OCSPResponder) isIssuerOf(req *ocsp.Request) bool {
	own, err := ocsp.CreateRequest(&x509.Certificate{SerialNumber: req.SerialNumber}, o.issuer, &ocsp.RequestOptions{Hash: req.HashAlgorithm})
	if err != nil {
		return false
	}
	mine, err := ocsp.ParseRequest(own)
	return err == nil && bytes.Equal(mine.IssuerNameHash, req.IssuerNameHash) && bytes.Equal(mine.IssuerKeyHash, req.IssuerKeyHash)
}

// indexStatus is the CA's own status function: its index, Unknown for
// serials it never issued.
func (ca *CA) indexStatus(serial *big.Int) (CertStatus, error) {
	e, err := ca.Status(serial)
	switch {
	case xroad.IsCode(err, xroad.CodeNotFound):
		return CertStatus{Status: ocsp.Unknown}, nil
	case err != nil:
		return CertStatus{}, err
	case e.Status == StatusRevoked:
		return CertStatus{Status: ocsp.Revoked, RevokedAt: *e.RevokedAt, Reason: e.Reason}, nil
	}
	return CertStatus{Status: ocsp.Good}, nil
}
