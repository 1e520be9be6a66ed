package pki

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"math/big"
	"net/http"

	"github.com/digitorus/pkcs7"
	"github.com/digitorus/timestamp"

	"github.com/roadreg/roadreg/internal/xroad"
)

// RequestTimestamp asks the RFC 3161 timestamping authority at url for a
// timestamp over data (SHA-256 message imprint, random nonce, TSA certificate
// requested) and checks that the reply is a validly signed timestamp for
// exactly that request. It returns the timestamp and the DER of the whole
// reply (TimeStampResp); the token alone is ts.RawToken. A nil client means
// http.DefaultClient.
//
// Failures: TIMESTAMPING_SERVICE_UNREACHABLE when the TSA cannot be reached or
// answers with an HTTP error; TIMESTAMP_VERIFICATION_FAILED when the reply is
// a rejection or does not match the request. Whether the TSA is an approved
// one is for the caller (VerifyTimestampSigner).
func RequestTimestamp(ctx context.Context, client *http.Client, url string, data []byte) (*timestamp.Timestamp, []byte, error) {
	digest := sha256.Sum256(data)
	nonce, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 64))
	if err != nil {
		return nil, nil, xroad.Errorf(xroad.CodeInternal, "could not create a nonce").Wrap(err)
	}
	query, err := (&timestamp.Request{HashAlgorithm: crypto.SHA256, HashedMessage: digest[:], Certificates: true, Nonce: nonce}).Marshal()
	if err != nil {
		return nil, nil, xroad.Errorf(xroad.CodeInternal, "could not build the timestamp query").Wrap(err)
	}
	reply, code, err := post(ctx, client, url, ContentTypeTimestampQuery, ContentTypeTimestampReply, query)
	if err != nil {
		return nil, nil, xroad.Errorf(xroad.CodeTimestampingServiceUnreachable, "The timestamping service at %s could not be reached: %v", url, err).Wrap(err)
	}
	if code != http.StatusOK {
		return nil, reply, xroad.Errorf(xroad.CodeTimestampingServiceUnreachable, "The timestamping service at %s answered HTTP %d", url, code)
	}
	invalid := func(format string, args ...any) *xroad.Error {
		return xroad.Errorf(CodeTimestampVerificationFailed, "The timestamping service at %s sent no valid timestamp: "+format, append([]any{url}, args...)...)
	}
	ts, err := timestamp.ParseResponse(reply)
	switch {
	case err != nil:
		return nil, reply, invalid("%v", err).Wrap(err)
	case len(ts.Certificates) == 0:
		// ParseResponse verifies the signature only when the signer's
		// certificate is included, which the query asked for.
		return nil, reply, invalid("the reply does not include the TSA certificate that was asked for")
	case ts.HashAlgorithm != crypto.SHA256 || !bytes.Equal(ts.HashedMessage, digest[:]):
		return nil, reply, invalid("the reply is about other data than was sent")
	case ts.Nonce == nil || ts.Nonce.Cmp(nonce) != 0:
		return nil, reply, invalid("the reply does not carry the nonce of the query")
	}
	return ts, reply, nil
}

// VerifyTimestampSigner checks that ts was signed by tsaCert (for instance an
// approved TSA's certificate from the global configuration). It fails with
// TIMESTAMP_VERIFICATION_FAILED.
func VerifyTimestampSigner(ts *timestamp.Timestamp, tsaCert *x509.Certificate) error {
	fail := func(format string, args ...any) *xroad.Error {
		return xroad.Errorf(CodeTimestampVerificationFailed, format, args...)
	}
	p7, err := pkcs7.Parse(ts.RawToken)
	if err != nil {
		return fail("The timestamp token could not be read").Wrap(err)
	}
	if len(p7.Certificates) == 0 {
		p7.Certificates = []*x509.Certificate{tsaCert}
	}
	if signer := p7.GetOnlySigner(); signer == nil || !signer.Equal(tsaCert) {
		return fail("The timestamp was not signed by the timestamping authority %s", describeCert(tsaCert))
	}
	if err := p7.Verify(); err != nil {
		return fail("The signature of the timestamp does not verify with the certificate of %s", describeCert(tsaCert)).Wrap(err)
	}
	return nil
}
