package pki

import (
	"bytes"
	"context"
	"crypto"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"golang.org/x/crypto/ocsp"

	"github.com/roadreg/roadreg/internal/xroad"
)

// DefaultOCSPFreshness is X-Road's default ocspFreshnessSeconds (3600 s).
const DefaultOCSPFreshness = time.Hour

// Media types of RFC 6960 and RFC 3161 over HTTP.
const (
	ContentTypeOCSPRequest    = "application/ocsp-request"
	ContentTypeOCSPResponse   = "application/ocsp-response"
	ContentTypeTimestampQuery = "application/timestamp-query"
	ContentTypeTimestampReply = "application/timestamp-reply"
)

const (
	// maxReplySize bounds what the OCSP and timestamping clients read.
	maxReplySize = 1 << 20
	// maxClockSkew is how far in the future an OCSP thisUpdate may lie.
	maxClockSkew = 5 * time.Minute
)

// errNoMatchingResponse is what the ocsp package says when no single
// response is about the certificate's serial number.
var errNoMatchingResponse = ocsp.ParseError("no response matching the supplied certificate")

// OCSPRequest is the DER OCSP request for cert issued by issuer, with a SHA-1
// certificate id as X-Road and most responders use.
func OCSPRequest(cert, issuer *x509.Certificate) ([]byte, error) {
	return ocsp.CreateRequest(cert, issuer, &ocsp.RequestOptions{Hash: crypto.SHA1})
}

// OCSPGetURL is the RFC 6960 GET form of an OCSP request: the responder URL
// followed by "/" and the URL-escaped base64 of the request.
func OCSPGetURL(responderURL string, request []byte) string {
	return strings.TrimSuffix(responderURL, "/") + "/" + url.PathEscape(base64.StdEncoding.EncodeToString(request))
}

// FetchOCSP asks the OCSP responder at responderURL (HTTP POST) for the status
// of cert and returns the parsed response and its DER. The response is parsed
// but not verified: pass the DER to VerifyOCSPResponse. A nil client means
// http.DefaultClient. Transport failures and responder error statuses fail
// with OCSP_REQUEST_FAILED, unreadable responses with OCSP_VERIFICATION_FAILED.
func FetchOCSP(ctx context.Context, client *http.Client, responderURL string, cert, issuer *x509.Certificate) (*ocsp.Response, []byte, error) {
	reqDER, err := OCSPRequest(cert, issuer)
	if err != nil {
		return nil, nil, xroad.Errorf(xroad.CodeInternal, "could not build the OCSP request").Wrap(err)
	}
	der, code, err := post(ctx, client, responderURL, ContentTypeOCSPRequest, ContentTypeOCSPResponse, reqDER)
	if err != nil {
		return nil, nil, xroad.Errorf(CodeOcspRequestFailed, "The OCSP responder at %s could not be reached: %v", responderURL, err).Wrap(err)
	}
	resp, err := ocsp.ParseResponseForCert(der, cert, nil)
	var respErr ocsp.ResponseError
	isRespErr := errors.As(err, &respErr)
	switch {
	case code != http.StatusOK && isRespErr:
		return nil, der, xroad.Errorf(CodeOcspRequestFailed, "The OCSP responder at %s answered HTTP %d with the OCSP status %s", responderURL, code, respErr.Status)
	case code != http.StatusOK:
		return nil, der, xroad.Errorf(CodeOcspRequestFailed, "The OCSP responder at %s answered HTTP %d", responderURL, code)
	case isRespErr:
		return nil, der, xroad.Errorf(CodeOcspRequestFailed, "The OCSP responder at %s refused to answer: %s", responderURL, respErr.Status)
	case err != nil:
		return nil, der, xroad.Errorf(xroad.CodeOcspVerificationFailed, "The OCSP responder at %s sent a response that could not be read", responderURL).Wrap(err)
	}
	return resp, der, nil
}

// VerifyOCSPResponse checks an OCSP response (DER) for cert, issued by issuer,
// at time now: it must be signed by issuer itself or by a responder
// certificate that issuer issued with id-kp-OCSPSigning (embedded in the
// response) and that is valid at now; it must be about cert's serial; its
// thisUpdate must be at most freshness before now (X-Road's
// ocspFreshnessSeconds; freshness <= 0 means DefaultOCSPFreshness) and its
// nextUpdate, if any, not passed.
//
// A verified response yields OCSP_RESPONSE_GOOD, _REVOKED, _SUSPENDED (revoked
// with reason certificateHold) or _UNKNOWN and a nil error. Otherwise the
// status is OCSP_RESPONSE_UNKNOWN and the error has code
// OCSP_VERIFICATION_FAILED; resp is returned when the response could be
// parsed.
func VerifyOCSPResponse(der []byte, cert, issuer *x509.Certificate, now time.Time, freshness time.Duration) (status xroad.OcspStatus, resp *ocsp.Response, err error) {
	fail := func(format string, args ...any) (xroad.OcspStatus, *ocsp.Response, error) {
		return xroad.OcspUnknown, resp, xroad.Errorf(xroad.CodeOcspVerificationFailed, format, args...)
	}
	if freshness <= 0 {
		freshness = DefaultOCSPFreshness
	}
	if err := cert.CheckSignatureFrom(issuer); err != nil {
		return fail("The certificate %s was not issued by %s, so its OCSP response cannot be checked against that CA",
			describeCert(cert), describeCert(issuer))
	}
	// With a nil issuer the parser checks only that an embedded responder
	// certificate made the signature; who may sign is decided below.
	resp, err = ocsp.ParseResponseForCert(der, cert, nil)
	if err != nil {
		var respErr ocsp.ResponseError
		if errors.As(err, &respErr) {
			return fail("The OCSP response is an error (%s), not a certificate status", respErr.Status)
		}
		if errors.Is(err, errNoMatchingResponse) {
			return fail("The OCSP response is not about the certificate %s (no matching serial number)", describeCert(cert))
		}
		return fail("The OCSP response could not be read or its signature does not verify: %v", err)
	}
	if err := checkResponder(resp, issuer, now); err != nil {
		return fail("The OCSP response for %s is not signed by its CA or a responder the CA authorised: %v", describeCert(cert), err)
	}
	switch {
	case resp.ThisUpdate.After(now.Add(maxClockSkew)):
		return fail("The OCSP response's thisUpdate (%s) lies in the future (now is %s); check the clocks of this server and the OCSP responder",
			stamp(resp.ThisUpdate), stamp(now))
	case now.Sub(resp.ThisUpdate) > freshness:
		return fail("The OCSP response is too old: thisUpdate %s is more than %s before %s (OCSP freshness limit); fetch a new one",
			stamp(resp.ThisUpdate), freshness, stamp(now))
	case !resp.NextUpdate.IsZero() && now.After(resp.NextUpdate):
		return fail("The OCSP response expired at %s (its nextUpdate); fetch a new one", stamp(resp.NextUpdate))
	}
	return ocspStatus(resp), resp, nil
}

// checkResponder decides whether the response's signer may speak for issuer.
func checkResponder(resp *ocsp.Response, issuer *x509.Certificate, now time.Time) error {
	responder := resp.Certificate
	switch {
	case responder == nil:
		if err := resp.CheckSignatureFrom(issuer); err != nil {
			return fmt.Errorf("the signature does not verify with the CA's key and no responder certificate is included")
		}
		return nil
	case responder.Equal(issuer):
		return nil // the parser verified the signature with the embedded issuer certificate
	case responder.CheckSignatureFrom(issuer) != nil:
		return fmt.Errorf("the responder certificate %s was not issued by the CA", describeCert(responder))
	case !slices.Contains(responder.ExtKeyUsage, x509.ExtKeyUsageOCSPSigning):
		return fmt.Errorf("the responder certificate %s lacks the OCSP signing extended key usage", describeCert(responder))
	case now.Before(responder.NotBefore) || now.After(responder.NotAfter):
		return fmt.Errorf("the responder certificate %s is not valid at %s", describeCert(responder), stamp(now))
	}
	return nil
}

// post sends body to rawURL and returns the reply body (at most
// maxReplySize bytes) and the HTTP status code.
func post(ctx context.Context, client *http.Client, rawURL, contentType, accept string, body []byte) ([]byte, int, error) {
	if client == nil {
		client = http.DefaultClient
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, rawURL, bytes.NewReader(body))
	if err != nil {
		return nil, 0, err
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Accept", accept)
	res, err := client.Do(req)
	if err != nil {
		return nil, 0, err
	}
	defer res.Body.Close()
	data, err := io.ReadAll(io.LimitReader(res.Body, maxReplySize+1))
	switch {
	case err != nil:
		return nil, 0, err
	case len(data) > maxReplySize:
		return nil, 0, fmt.Errorf("its answer is larger than %d bytes", maxReplySize)
	}
	return data, res.StatusCode, nil
}

// OCSPStatusError explains a verified OCSP status other than good as
// OCSP_VERIFICATION_FAILED; it is nil for good.
func OCSPStatusError(st xroad.OcspStatus) *xroad.Error {
	switch st {
	case xroad.OcspGood:
		return nil
	case xroad.OcspRevoked:
		return xroad.Errorf(xroad.CodeOcspVerificationFailed, "the OCSP response says the certificate is revoked")
	case xroad.OcspSuspended:
		return xroad.Errorf(xroad.CodeOcspVerificationFailed, "the OCSP response says the certificate is suspended")
	}
	return xroad.Errorf(xroad.CodeOcspVerificationFailed, "the OCSP responder does not know the certificate")
}
