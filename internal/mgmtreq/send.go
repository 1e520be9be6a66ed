package mgmtreq

import (
	"bytes"
	"context"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"

	"github.com/roadreg/roadreg/internal/xroad"
)

// Send POSTs a request made by Build or BuildDeletion (body and contentType
// as they returned them) to the central server's management service at
// serviceURL and returns the request id the central server assigned. c must be configured by the
// caller; for HTTPS its TLS configuration must pin the central server's
// certificate (authCertRegServiceCert of the private parameters).
//
// The answer must be the response of the request's kind for this very request (same
// message id, client and service, and requestHash when present). Errors:
// MANAGEMENT_REQUEST_SEND_FAILED when the central server cannot be reached
// or answers with something else; for a SOAP fault, the fault as
// DecodeResponse returns it.
func Send(ctx context.Context, c *http.Client, serviceURL string, body []byte, contentType string) (int, error) {
	if c == nil {
		return 0, xroad.Errorf(xroad.CodeInternal, "No HTTP client to send the management request with")
	}
	soap, sent, err := sentHeader(contentType, body)
	if err != nil {
		return 0, err
	}
	hr, err := http.NewRequestWithContext(ctx, http.MethodPost, serviceURL, bytes.NewReader(body))
	if err != nil {
		return 0, xroad.Errorf(xroad.CodeManagementRequestSendFailed,
			"The management service address %q is not a valid URL; check the global configuration", serviceURL).Wrap(err)
	}
	hr.Header.Set("Content-Type", contentType)
	resp, err := c.Do(hr)
	if err != nil {
		return 0, sendFailed(serviceURL, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, MaxResponseSize+1))
	if err != nil {
		return 0, sendFailed(serviceURL, err)
	}
	if mediaType, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type")); mediaType != "text/xml" {
		return 0, xroad.Errorf(xroad.CodeManagementRequestSendFailed,
			"The central server at %s answered %s without a SOAP message; check the management service address in the global configuration",
			serviceURL, resp.Status)
	}
	r, err := decodeResponse(data)
	if err != nil {
		return 0, err
	}
	h := r.header
	if r.kind != sent.Service.ServiceCode || h.ID != sent.ID || h.Client != sent.Client || h.Service != sent.Service ||
		(h.RequestHash != "" && h.RequestHash != requestHash(soap)) {
		return 0, badResponse("its header does not match the request with id %s", sent.ID)
	}
	return r.requestID, nil
}

// sentHeader reads back the SOAP part and header of a body Build made.
func sentHeader(contentType string, body []byte) ([]byte, soapHeader, error) {
	_, params, err := mime.ParseMediaType(contentType)
	var parts []decodedPart
	if err == nil {
		parts, err = readParts(body, params["boundary"])
	}
	if err != nil || len(parts) == 0 {
		return nil, soapHeader{}, xroad.Errorf(xroad.CodeInternal, "The management request to send is not a multipart body made by Build or BuildDeletion").Wrap(err)
	}
	env, err := parseEnvelope(parts[0].body)
	if err != nil {
		return nil, soapHeader{}, xroad.Errorf(xroad.CodeInternal, "The management request to send has no valid SOAP part").Wrap(err)
	}
	h, err := parseHeader(env)
	if err != nil {
		return nil, soapHeader{}, xroad.Errorf(xroad.CodeInternal, "The management request to send has no valid SOAP header").Wrap(err)
	}
	return parts[0].body, h, nil
}

func sendFailed(serviceURL string, err error) *xroad.Error {
	cause := err
	var ue *url.Error
	if errors.As(err, &ue) {
		cause = ue.Err
	}
	return xroad.Errorf(xroad.CodeManagementRequestSendFailed,
		"Sending the management request to %s failed: %v. Check that the central server is reachable at that address and that its TLS certificate is the one in the global configuration",
		serviceURL, cause).Wrap(err)
}
