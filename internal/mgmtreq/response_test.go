package mgmtreq

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/roadreg/roadreg/internal/xroad"
)

func TestResponseRoundTrip(t *testing.T) {
	r := signedRequest(t, func(in *signInput) { in.messageEdit = func(m *AuthCertReg) { m.DryRun = true } })
	body, err := EncodeResponse(r, 42)
	if err != nil {
		t.Fatal(err)
	}
	id, err := DecodeResponse(body)
	if err != nil || id != 42 {
		t.Fatalf("DecodeResponse = %d, %v; want 42", id, err)
	}
	resp, err := decodeResponse(body)
	if err != nil {
		t.Fatal(err)
	}
	if !equalMessages(resp.message, r.Message) {
		t.Errorf("response echoes %+v, want %+v", resp.message, r.Message)
	}
	if resp.header.ProtocolVersion != "4.0" || resp.header.RequestHash != requestHash(r.SOAP) {
		t.Errorf("header = %+v", resp.header)
	}
	if !bytes.Contains(body, []byte(`<xroad:requestId>42</xroad:requestId></xroad:authCertRegResponse>`)) {
		t.Errorf("requestId not last in authCertRegResponse: %s", body)
	}
	if _, err := EncodeResponse(nil, 1); xroad.CodeOf(err) != xroad.CodeInternal {
		t.Errorf("EncodeResponse(nil) = %v", err)
	}
}

func TestFaultRoundTrip(t *testing.T) {
	cases := []struct {
		name                  string
		err                   error
		faultCode             string
		wantCode, wantMessage string
		wantMetadata          []string
		mustNotContain        string
	}{
		{name: "check failure", err: xroad.Errorf(xroad.CodeManagementRequestSenderMismatch, "Sender does not match server owner.").WithMetadata("DEV/GOV/1234", "DEV/GOV/<5678>"),
			faultCode: "SOAP-ENV:Client", wantCode: xroad.CodeManagementRequestSenderMismatch, wantMessage: "Sender does not match server owner.",
			wantMetadata: []string{"DEV/GOV/1234", "DEV/GOV/<5678>"}},
		{name: "wrapped check failure", err: fmt.Errorf("handler: %w", xroad.Errorf(xroad.CodeManagementRequestExists, "Certificate is already submitted for registration with request '7'")),
			faultCode: "SOAP-ENV:Client", wantCode: xroad.CodeManagementRequestExists, wantMessage: "Certificate is already submitted for registration with request '7'"},
		{name: "outdated global configuration", err: xroad.Errorf(xroad.CodeManagementRequestGlobalConfOutdated, "Global configuration is outdated"),
			faultCode: "SOAP-ENV:Server", wantCode: xroad.CodeManagementRequestGlobalConfOutdated, wantMessage: "Global configuration is outdated"},
		{name: "internal error text is not sent", err: errors.New("pq: password authentication failed for user secret-admin"),
			faultCode: "SOAP-ENV:Server", wantCode: xroad.CodeInternal, wantMessage: internalFaultMessage, mustNotContain: "secret-admin"},
		{name: "cause of an xroad.Error is not sent", err: xroad.Errorf(xroad.CodeInternal, "Saving the request failed").Wrap(errors.New("disk /srv/secret full")),
			faultCode: "SOAP-ENV:Server", wantCode: xroad.CodeInternal, wantMessage: "Saving the request failed", mustNotContain: "/srv/secret"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fault := EncodeFault(c.err)
			if c.mustNotContain != "" && bytes.Contains(fault, []byte(c.mustNotContain)) {
				t.Errorf("fault leaks %q: %s", c.mustNotContain, fault)
			}
			if !bytes.Contains(fault, []byte("<faultcode>"+c.faultCode+"</faultcode>")) {
				t.Errorf("fault code is not %s: %s", c.faultCode, fault)
			}
			_, err := DecodeResponse(fault)
			var xe *xroad.Error
			if !errors.As(err, &xe) {
				t.Fatalf("DecodeResponse = %v, want *xroad.Error", err)
			}
			if xe.Code != c.wantCode || xe.Message != c.wantMessage || !slices.Equal(xe.Metadata, c.wantMetadata) {
				t.Errorf("got %s %q %q, want %s %q %q", xe.Code, xe.Message, xe.Metadata, c.wantCode, c.wantMessage, c.wantMetadata)
			}
		})
	}
}

func TestDecodeResponseOfOtherServers(t *testing.T) {
	soapFault := func(inner string) []byte {
		return []byte(`<?xml version="1.0"?><SOAP-ENV:Envelope xmlns:SOAP-ENV="` + nsSOAP + `"><SOAP-ENV:Body><SOAP-ENV:Fault>` + inner + `</SOAP-ENV:Fault></SOAP-ENV:Body></SOAP-ENV:Envelope>`)
	}
	long := strings.Repeat("é", 600)
	cases := []struct {
		name          string
		body          []byte
		code, message string
	}{
		{"X-Road fault without detail", soapFault(`<faultcode>Server.ServerProxy.InvalidRequest</faultcode><faultstring>Invalid server address</faultstring>`),
			xroad.CodeRegistrationFailed, "Invalid server address"},
		{"detail code that is not a code", soapFault(`<faultcode>SOAP-ENV:Client</faultcode><faultstring>No</faultstring><detail><c:code xmlns:c="urn:roadreg:fault">rm -rf</c:code></detail>`),
			xroad.CodeRegistrationFailed, "No"},
		{"empty faultstring", soapFault(`<faultcode>Server.X</faultcode><faultstring></faultstring>`),
			xroad.CodeRegistrationFailed, "The central server refused the request without giving a reason (fault code Server.X)"},
		{"long faultstring is clipped", soapFault(`<faultcode>Server.X</faultcode><faultstring>` + long + `</faultstring>`),
			xroad.CodeRegistrationFailed, strings.Repeat("é", 500) + "…"},
		{"not XML", []byte("<html>Bad gateway"), xroad.CodeManagementRequestSendFailed,
			"The central server sent an answer that is not a management service response (malformed SOAP: expected element type <Envelope> but have <html>); check the management service address in the global configuration"},
		{"a request instead of a response", requestSOAP(testRequest([]byte{1})), xroad.CodeManagementRequestSendFailed,
			"The central server sent an answer that is not a management service response (no authCertRegResponse or authCertDeletionResponse element); check the management service address in the global configuration"},
		{"response without requestId", bytes.Replace(mustResponse(t, 5), []byte("<xroad:requestId>5</xroad:requestId>"), nil, 1), xroad.CodeManagementRequestSendFailed,
			"The central server sent an answer that is not a management service response (no requestId); check the management service address in the global configuration"},
		{"requestId not an integer", bytes.Replace(mustResponse(t, 5), []byte("<xroad:requestId>5<"), []byte("<xroad:requestId>99999999999999999999<"), 1), xroad.CodeManagementRequestSendFailed,
			`The central server sent an answer that is not a management service response (requestId "99999999999999999999" is not an integer); check the management service address in the global configuration`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := DecodeResponse(c.body)
			assertXRoadError(t, err, c.code, c.message)
		})
	}
}

func mustResponse(t *testing.T, id int) []byte {
	t.Helper()
	body, err := EncodeResponse(signedRequest(t, nil), id)
	if err != nil {
		t.Fatal(err)
	}
	return body
}

// centralServer is a minimal management service endpoint built from this
// package, as the central server's handler would use it.
func centralServer(t *testing.T, trust Trust, tamper func(*Request)) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, hr *http.Request) {
		w.Header().Set("Content-Type", ResponseContentType)
		r, err := ReadRequest(hr)
		if err == nil {
			err = Verify(r, trust, testNow)
		}
		if err != nil {
			w.WriteHeader(http.StatusInternalServerError)
			_, _ = w.Write(EncodeFault(err))
			return
		}
		if tamper != nil {
			tamper(r)
		}
		resp, err := EncodeResponse(r, 17)
		if err != nil {
			t.Error(err)
		}
		_, _ = w.Write(resp)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestSend(t *testing.T) {
	f := shared()
	body, ct, err := Build(testRequest(f.ecAuthCert), f.ecAuth, f.ecOwner, f.ecOwnerCert, f.ecOwnerOCSP, 0)
	if err != nil {
		t.Fatal(err)
	}

	t.Run("registered", func(t *testing.T) {
		srv := centralServer(t, f.trust, nil)
		id, err := Send(context.Background(), srv.Client(), srv.URL+"/managementservice/", body, ct)
		if err != nil || id != 17 {
			t.Fatalf("Send = %d, %v; want 17", id, err)
		}
	})

	t.Run("refused with a fault", func(t *testing.T) {
		other := f.trust
		other.instance = "EE"
		srv := centralServer(t, other, nil)
		_, err := Send(context.Background(), srv.Client(), srv.URL, body, ct)
		assertXRoadError(t, err, xroad.CodeManagementRequestInvalidServiceAddress, "Invalid management service address. Contact central server administrator.")
	})

	t.Run("answer for another request", func(t *testing.T) {
		srv := centralServer(t, f.trust, func(r *Request) { r.Message.ID = "someone-else" })
		_, err := Send(context.Background(), srv.Client(), srv.URL, body, ct)
		assertXRoadError(t, err, xroad.CodeManagementRequestSendFailed, "The central server sent an answer that is not a management service response (its header does not match the request with id "+messageID(t, ct, body)+"); check the management service address in the global configuration")
	})

	t.Run("answer with another request hash", func(t *testing.T) {
		srv := centralServer(t, f.trust, func(r *Request) { r.SOAP = []byte("other") })
		_, err := Send(context.Background(), srv.Client(), srv.URL, body, ct)
		if xroad.CodeOf(err) != xroad.CodeManagementRequestSendFailed {
			t.Errorf("Send = %v, want %s", err, xroad.CodeManagementRequestSendFailed)
		}
	})

	t.Run("not a management service", func(t *testing.T) {
		srv := httptest.NewServer(http.NotFoundHandler())
		t.Cleanup(srv.Close)
		_, err := Send(context.Background(), srv.Client(), srv.URL, body, ct)
		assertXRoadError(t, err, xroad.CodeManagementRequestSendFailed,
			"The central server at "+srv.URL+" answered 404 Not Found without a SOAP message; check the management service address in the global configuration")
	})

	t.Run("unreachable", func(t *testing.T) {
		srv := httptest.NewServer(http.NotFoundHandler())
		url := srv.URL
		srv.Close()
		_, err := Send(context.Background(), http.DefaultClient, url, body, ct)
		var xe *xroad.Error
		if !errors.As(err, &xe) || xe.Code != xroad.CodeManagementRequestSendFailed || !strings.HasPrefix(xe.Message, "Sending the management request to "+url+" failed: ") {
			t.Errorf("Send = %v", err)
		}
	})

	t.Run("cancelled", func(t *testing.T) {
		srv := centralServer(t, f.trust, nil)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := Send(ctx, srv.Client(), srv.URL, body, ct)
		if !errors.Is(err, context.Canceled) || xroad.CodeOf(err) != xroad.CodeManagementRequestSendFailed {
			t.Errorf("Send = %v", err)
		}
	})

	t.Run("sends the body unchanged", func(t *testing.T) {
		var gotBody []byte
		var gotCT string
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, hr *http.Request) {
			gotBody, _ = io.ReadAll(hr.Body)
			gotCT = hr.Header.Get("Content-Type")
			http.Error(w, "stop", http.StatusTeapot)
		}))
		t.Cleanup(srv.Close)
		_, _ = Send(context.Background(), srv.Client(), srv.URL, body, ct)
		if !bytes.Equal(gotBody, body) || gotCT != ct {
			t.Error("the server did not receive the built body and Content-Type")
		}
	})

	t.Run("not a built body", func(t *testing.T) {
		_, err := Send(context.Background(), http.DefaultClient, "http://127.0.0.1:1", []byte("x"), "text/plain")
		if xroad.CodeOf(err) != xroad.CodeInternal {
			t.Errorf("Send = %v, want %s", err, xroad.CodeInternal)
		}
	})
}

func messageID(t *testing.T, ct string, body []byte) string {
	t.Helper()
	r, err := Decode(ct, body)
	if err != nil {
		t.Fatal(err)
	}
	return r.Message.ID
}
