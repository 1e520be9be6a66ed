package globalconf

import (
	"bytes"
	"crypto"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/roadreg/roadreg/internal/pki"
)

// Content identifiers of the parts Roadreg publishes.
const (
	ContentSharedParameters  = "SHARED-PARAMETERS"
	ContentPrivateParameters = "PRIVATE-PARAMETERS"
)

// ConfigurationVersion is the global configuration version Roadreg
// generates and downloads (shared parameters v6, private parameters v3).
const ConfigurationVersion = 6

// Directory is what SignDirectory signs: the expiry and version header and
// the parts (whose hashes, not contents, go into the directory).
type Directory struct {
	ExpireDate time.Time
	// Version is written as the Version header; 0 leaves it out.
	Version int
	Parts   []Part
}

// Part is one file of a configuration version.
type Part struct {
	// ContentIdentifier is SHARED-PARAMETERS, PRIVATE-PARAMETERS or another
	// identifier; Instance its instance parameter.
	ContentIdentifier string
	Instance          string
	// ContentLocation is the URL (usually a path) the file is served at.
	ContentLocation string
	// ContentFileName is written as Content-file-name when set.
	ContentFileName string
	Data            []byte
}

const expireDateLayout = "2006-01-02T15:04:05Z"

// SignDirectory builds and signs the complete MIME entity X-Road serves as
// /internalconf: a multipart/related with the multipart/mixed directory
// (parts hashed with SHA-512) and the signature part. The signature
// (SHA-512 with RSA PKCS#1 v1.5, or ECDSA) covers the body of the first
// part; signerCert must hold signer's public key, and its SHA-512 goes into
// Verification-certificate-hash. Line endings are CRLF.
func SignDirectory(d Directory, signer crypto.Signer, signerCert *x509.Certificate) ([]byte, error) {
	if signer == nil || signerCert == nil {
		return nil, errors.New("signing the directory needs a signer and its certificate")
	}
	pub := signer.Public()
	if k, ok := pub.(interface{ Equal(crypto.PublicKey) bool }); !ok || !k.Equal(signerCert.PublicKey) {
		return nil, errors.New("the signing certificate does not belong to the signing key")
	}
	alg, err := pki.SignatureAlgorithmFor(pub, crypto.SHA512, false)
	if err != nil {
		return nil, fmt.Errorf("signing the directory: %w", err)
	}
	if d.ExpireDate.IsZero() {
		return nil, errors.New("the directory needs an expire date")
	}
	if len(d.Parts) == 0 {
		return nil, errors.New("the directory has no parts")
	}
	for _, p := range d.Parts {
		if err := p.checkHeaders(); err != nil {
			return nil, err
		}
	}

	for {
		inner, outer := randomBoundary(), randomBoundary()
		body := directoryBody(d, inner)
		if bytes.Contains(body, []byte(outer)) || inner == outer {
			continue // practically impossible; pick fresh boundaries
		}
		sig, err := alg.Sign(signer, body)
		if err != nil {
			return nil, fmt.Errorf("signing the directory: %w", err)
		}
		if err := alg.Verify(signerCert.PublicKey, body, sig); err != nil {
			return nil, fmt.Errorf("the signing key produced a signature its certificate does not verify: %w", err)
		}
		certHash := base64.StdEncoding.EncodeToString(digest(crypto.SHA512, signerCert.Raw))

		var b bytes.Buffer
		crlf := func(s string) { b.WriteString(s); b.WriteString("\r\n") }
		crlf("Content-Type: multipart/related; charset=UTF-8; boundary=" + outer)
		crlf("")
		crlf("--" + outer)
		crlf("Content-Type: multipart/mixed; charset=UTF-8; boundary=" + inner)
		crlf("")
		b.Write(body)
		crlf("")
		crlf("--" + outer)
		crlf("Content-Type: application/octet-stream")
		crlf("Content-Transfer-Encoding: base64")
		crlf("Signature-Algorithm-Id: " + alg.URI)
		crlf("Verification-certificate-hash: " + certHash + `; hash-algorithm-id="` + HashSHA512 + `"`)
		crlf("")
		crlf(base64.StdEncoding.EncodeToString(sig))
		crlf("--" + outer + "--")
		return b.Bytes(), nil
	}
}

// directoryBody is the signed content: the multipart/mixed body from its
// first delimiter up to and including the closing delimiter line.
func directoryBody(d Directory, boundary string) []byte {
	var b bytes.Buffer
	crlf := func(s string) { b.WriteString(s); b.WriteString("\r\n") }
	crlf("--" + boundary)
	crlf("Expire-date: " + d.ExpireDate.UTC().Format(expireDateLayout))
	if d.Version != 0 {
		crlf("Version: " + strconv.Itoa(d.Version))
	}
	crlf("")
	for _, p := range d.Parts {
		crlf("--" + boundary)
		crlf("Content-type: application/octet-stream")
		crlf("Content-transfer-encoding: base64")
		if p.ContentIdentifier != "" {
			id := p.ContentIdentifier
			if p.Instance != "" {
				id += `; instance="` + p.Instance + `"`
			}
			crlf("Content-identifier: " + id)
		}
		crlf("Content-location: " + p.ContentLocation)
		if p.ContentFileName != "" {
			crlf("Content-file-name: " + p.ContentFileName)
		}
		crlf("Hash-algorithm-id: " + HashSHA512)
		crlf("")
		crlf(base64.StdEncoding.EncodeToString(digest(crypto.SHA512, p.Data)))
	}
	crlf("--" + boundary + "--")
	return b.Bytes()
}

func (p Part) checkHeaders() error {
	if p.ContentLocation == "" {
		return fmt.Errorf("part %s has no content location", p.ContentIdentifier)
	}
	for _, v := range []string{p.ContentIdentifier, p.Instance, p.ContentLocation, p.ContentFileName} {
		if strings.ContainsAny(v, "\r\n\"';") {
			return fmt.Errorf("part header value %q contains a line break, quote or semicolon", v)
		}
	}
	if p.Instance != "" && p.ContentIdentifier == "" {
		return errors.New("a part with an instance needs a content identifier")
	}
	return nil
}

// randomBoundary returns 20 random alphanumeric characters (X-Road's
// boundaries have the same length).
func randomBoundary() string {
	return rand.Text()[:20]
}
