package mgmtreq

import (
	"errors"
	"testing"

	"github.com/roadreg/roadreg/internal/testenv"
	"github.com/roadreg/roadreg/internal/xroad"
)

// FuzzDecode feeds Decode (and, when it succeeds, Verify or VerifyDeletion
// and EncodeResponse) arbitrary bodies of both kinds. Nothing may panic,
// every error must be an *xroad.Error, and the response to anything Decode
// accepts must decode again.
func FuzzDecode(f *testing.F) {
	for _, body := range testenv.SampleSeeds("authcertreg/testauthregrequest.msg") {
		f.Add(sampleContentType, body)
	}
	p := shared()
	body, ct, err := Build(testRequest(p.ecAuthCert), p.ecAuth, p.ecOwner, p.ecOwnerCert, p.ecOwnerOCSP, 0)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(ct, body)
	f.Add("text/xml", requestSOAP(testRequest(p.ecAuthCert)))
	f.Add("multipart/related; boundary=x", []byte("--x\r\nContent-Type: text/xml\r\n\r\n<a/>\r\n--x--\r\n"))
	del, delCT, err := BuildDeletion(testDeletion(p.ecAuthCert), p.ecOwner, p.ecOwnerCert, p.ecOwnerOCSP, 0)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(delCT, del)
	f.Add("text/xml", deletionSOAP(testDeletion(p.ecAuthCert)))

	f.Fuzz(func(t *testing.T, contentType string, body []byte) {
		r, err := Decode(contentType, body)
		if err != nil {
			assertIsXRoadError(t, err)
			return
		}
		verify := Verify
		if r.Kind == ServiceCodeDeletion {
			verify = VerifyDeletion
		}
		if err := verify(r, p.trust, testNow); err != nil {
			assertIsXRoadError(t, err)
		}
		resp, err := EncodeResponse(r, 1)
		if err != nil {
			t.Fatal(err)
		}
		if id, err := DecodeResponse(resp); err != nil || id != 1 {
			t.Fatalf("the response to a decoded request does not decode: %v\n%s", err, resp)
		}
	})
}

// FuzzDecodeResponse feeds DecodeResponse arbitrary answers.
func FuzzDecodeResponse(f *testing.F) {
	p := shared()
	body, ct, err := Build(testRequest(p.ecAuthCert), p.ecAuth, p.ecOwner, p.ecOwnerCert, p.ecOwnerOCSP, 0)
	if err != nil {
		f.Fatal(err)
	}
	r, err := Decode(ct, body)
	if err != nil {
		f.Fatal(err)
	}
	resp, err := EncodeResponse(r, 3)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(resp)
	del, delCT, err := BuildDeletion(testDeletion(p.ecAuthCert), p.ecOwner, p.ecOwnerCert, p.ecOwnerOCSP, 0)
	if err != nil {
		f.Fatal(err)
	}
	dr, err := Decode(delCT, del)
	if err != nil {
		f.Fatal(err)
	}
	delResp, err := EncodeResponse(dr, 4)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(delResp)
	f.Add(EncodeFault(xroad.Errorf(xroad.CodeManagementRequestSenderMismatch, "Sender does not match server owner.").WithMetadata("x")))
	f.Fuzz(func(t *testing.T, body []byte) {
		if _, err := DecodeResponse(body); err != nil {
			assertIsXRoadError(t, err)
		}
	})
}

func assertIsXRoadError(t *testing.T, err error) {
	t.Helper()
	var xe *xroad.Error
	if !errors.As(err, &xe) || xe.Code == "" || xe.Message == "" {
		t.Fatalf("error %v (%T) is not an *xroad.Error with code and message", err, err)
	}
}
