package mgmtreq

import (
	"crypto"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/roadreg/roadreg/internal/pki"
	"github.com/roadreg/roadreg/internal/xroad"
)

// The request-status query is a Roadreg extension: X-Road never tells a
// security server that its registration was declined. A security server
// asks the central server about a request it sent, proving with its
// authentication key that the request is its own:
//
//	POST <authCertRegServiceAddress>status   (i.e. …/managementservice/status)
//	Content-Type: application/json
//	{"requestId":17,"authCertHash":"<sha256 hex of the auth cert DER>",
//	 "time":"2026-11-26T17:00:00Z","signatureAlgorithm":"SHA256withECDSA",
//	 "signature":"<base64 signature over StatusQuery.SignedData()>"}
//
// The answer is a StatusAnswer (200), or 403 for a bad signature or stale
// time, 404 for an unknown request.

// StatusPath is appended to the management-service address.
const StatusPath = "status"

// StatusMaxSkew is how far the query's time may be from the server's clock.
const StatusMaxSkew = 5 * time.Minute

// StatusQuery asks for the state of a management request.
type StatusQuery struct {
	RequestID          int    `json:"requestId"`
	AuthCertHash       string `json:"authCertHash"`
	Time               string `json:"time"`
	SignatureAlgorithm string `json:"signatureAlgorithm"`
	Signature          string `json:"signature"`
}

// StatusAnswer is the central server's answer.
type StatusAnswer struct {
	RequestID int    `json:"requestId"`
	Status    string `json:"status"`
	Comments  string `json:"comments,omitempty"`
}

// SignedData is what the signature covers.
func (q StatusQuery) SignedData() []byte {
	return []byte(strconv.Itoa(q.RequestID) + "\n" + q.AuthCertHash + "\n" + q.Time)
}

// BuildStatusQuery signs a query for requestID with the authentication key.
func BuildStatusQuery(requestID int, authCertDER []byte, authKey crypto.Signer, now time.Time) ([]byte, error) {
	q := StatusQuery{RequestID: requestID, AuthCertHash: pki.SHA256Hex(authCertDER), Time: now.UTC().Format(time.RFC3339)}
	alg, err := algorithmID(authKey.Public(), crypto.SHA256, false)
	if err != nil {
		return nil, err
	}
	sig, err := sign(authKey, alg, q.SignedData())
	if err != nil {
		return nil, fmt.Errorf("signing the status query: %w", err)
	}
	q.SignatureAlgorithm, q.Signature = alg, base64.StdEncoding.EncodeToString(sig)
	return json.Marshal(q)
}

// ParseStatusQuery decodes a query body.
func ParseStatusQuery(body []byte) (StatusQuery, error) {
	var q StatusQuery
	if err := json.Unmarshal(body, &q); err != nil || q.RequestID <= 0 || q.AuthCertHash == "" || q.Signature == "" {
		return q, xroad.Errorf(xroad.CodeBadUserInput, "malformed status query")
	}
	return q, nil
}

// VerifyStatusQuery checks that the query is signed by the key of cert (the
// authentication certificate stored with the request) and is recent.
func VerifyStatusQuery(q StatusQuery, cert *x509.Certificate, now time.Time) error {
	if pki.SHA256Hex(cert.Raw) != q.AuthCertHash {
		return xroad.Errorf(xroad.CodeForbidden, "the request was made for another authentication certificate")
	}
	t, err := time.Parse(time.RFC3339, q.Time)
	if err != nil || t.Sub(now) > StatusMaxSkew || now.Sub(t) > StatusMaxSkew {
		return xroad.Errorf(xroad.CodeForbidden, "the status query's time is missing or more than %s off", StatusMaxSkew)
	}
	sig, err := base64.StdEncoding.DecodeString(q.Signature)
	if err != nil {
		return xroad.Errorf(xroad.CodeForbidden, "the status query's signature is not base64")
	}
	if err := verifySignature(cert.PublicKey, q.SignatureAlgorithm, q.SignedData(), sig); err != nil {
		return xroad.Errorf(xroad.CodeForbidden, "the status query's signature does not verify with the authentication certificate")
	}
	return nil
}
