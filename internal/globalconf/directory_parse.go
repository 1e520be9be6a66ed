package globalconf

import (
	"bufio"
	"bytes"
	"crypto/subtle"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/textproto"
	"strconv"
	"strings"
	"time"

	"github.com/roadreg/roadreg/internal/xroad"
)

// MaxDirectorySize is the largest signed directory accepted.
const MaxDirectorySize = 1 << 20

// maxDirectoryParts bounds the entries of a directory.
const maxDirectoryParts = 64

// SignedDirectory is a parsed signed configuration directory.
type SignedDirectory struct {
	ExpireDate time.Time
	// Version is the Version header (0 when absent).
	Version int
	Parts   []DirectoryPart
	// SignedData is exactly what the signature covers.
	SignedData           []byte
	Signature            []byte
	SignatureAlgorithmID string
	// VerificationCertHash identifies the signer's certificate by its hash
	// under VerificationCertHashAlgorithmID.
	VerificationCertHash            []byte
	VerificationCertHashAlgorithmID string
}

// DirectoryPart is one entry of a directory: where a file is and its hash.
type DirectoryPart struct {
	ContentIdentifier string
	Instance          string
	ContentLocation   string
	ContentFileName   string
	HashAlgorithmID   string
	Hash              []byte
}

// ParseDirectory parses a complete signed directory (MIME header line
// included, as X-Road serves it). It accepts any header-name casing, single
// or double quotes in parameters and any entry order. It checks structure and
// algorithms only; call Verify for the signature and expiry.
func ParseDirectory(body []byte) (*SignedDirectory, error) {
	if len(body) > MaxDirectorySize {
		return nil, malformed(fmt.Errorf("%w: %d bytes, at most %d are accepted", ErrTooLarge, len(body), MaxDirectorySize),
			"The configuration directory is too large (%d bytes, at most %d are accepted)", len(body), MaxDirectorySize)
	}
	d, err := parseDirectory(body)
	if err != nil {
		if errors.Is(err, ErrUnsupportedAlgorithm) {
			return nil, fail(xroad.CodeGlobalConfVerification, ErrUnsupportedAlgorithm, err, "The configuration directory uses an unsupported algorithm: %v", err)
		}
		return nil, malformed(err, "The configuration directory is malformed: %v", err)
	}
	return d, nil
}

func parseDirectory(body []byte) (*SignedDirectory, error) {
	r := bufio.NewReader(bytes.NewReader(body))
	hdr, err := textproto.NewReader(r).ReadMIMEHeader()
	if err != nil {
		return nil, fmt.Errorf("it does not start with a MIME header: %w", err)
	}
	outer, err := multipartBoundary(hdr.Get("Content-Type"), "multipart/related")
	if err != nil {
		return nil, err
	}
	mr := multipart.NewReader(r, outer)

	p1, err := mr.NextRawPart()
	if err != nil {
		return nil, fmt.Errorf("reading the directory part: %w", err)
	}
	inner, err := multipartBoundary(p1.Header.Get("Content-Type"), "multipart/mixed")
	if err != nil {
		return nil, fmt.Errorf("directory part: %w", err)
	}
	d := &SignedDirectory{}
	if d.SignedData, err = io.ReadAll(p1); err != nil {
		return nil, fmt.Errorf("reading the directory part: %w", err)
	}

	p2, err := mr.NextRawPart()
	if errors.Is(err, io.EOF) {
		return nil, errors.New("the signature part is missing")
	}
	if err != nil {
		return nil, fmt.Errorf("reading the signature part: %w", err)
	}
	if err := d.parseSignaturePart(p2); err != nil {
		return nil, err
	}
	if _, err := mr.NextRawPart(); !errors.Is(err, io.EOF) {
		if err == nil {
			return nil, errors.New("it has more than two parts")
		}
		return nil, fmt.Errorf("after the signature part: %w", err)
	}
	if err := d.parseEntries(inner); err != nil {
		return nil, err
	}
	return d, nil
}

func multipartBoundary(contentType, want string) (string, error) {
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return "", fmt.Errorf("bad Content-Type %q: %w", contentType, err)
	}
	if mt != want || params["boundary"] == "" {
		return "", fmt.Errorf("Content-Type is %q, expected %s with a boundary", contentType, want)
	}
	return params["boundary"], nil
}

func (d *SignedDirectory) parseSignaturePart(p *multipart.Part) error {
	d.SignatureAlgorithmID = strings.TrimSpace(p.Header.Get("Signature-Algorithm-Id"))
	if d.SignatureAlgorithmID == "" {
		return errors.New("the signature part has no Signature-Algorithm-Id")
	}
	if _, ok := sigAlgorithms[d.SignatureAlgorithmID]; !ok {
		return fmt.Errorf("%w: signature algorithm %q", ErrUnsupportedAlgorithm, d.SignatureAlgorithmID)
	}
	v, params := headerParams(p.Header.Get("Verification-Certificate-Hash"))
	if v == "" {
		return errors.New("the signature part has no Verification-certificate-hash")
	}
	var err error
	if d.VerificationCertHash, err = decodeBase64(v); err != nil {
		return fmt.Errorf("the Verification-certificate-hash header is not base64: %w", err)
	}
	d.VerificationCertHashAlgorithmID = params["hash-algorithm-id"]
	if d.VerificationCertHashAlgorithmID == "" {
		d.VerificationCertHashAlgorithmID = defaultCertHashAlg
	}
	if _, err := hashByID(d.VerificationCertHashAlgorithmID); err != nil {
		return fmt.Errorf("the Verification-certificate-hash header: %w", err)
	}
	if err := checkBase64Encoding(p.Header); err != nil {
		return fmt.Errorf("signature part: %w", err)
	}
	raw, err := io.ReadAll(p)
	if err != nil {
		return fmt.Errorf("reading the signature: %w", err)
	}
	if d.Signature, err = decodeBase64(string(raw)); err != nil || len(d.Signature) == 0 {
		return fmt.Errorf("the signature is not base64 (%v)", err)
	}
	return nil
}

func checkBase64Encoding(h textproto.MIMEHeader) error {
	if cte := strings.TrimSpace(h.Get("Content-Transfer-Encoding")); cte != "" && !strings.EqualFold(cte, "base64") {
		return fmt.Errorf("Content-Transfer-Encoding is %q, expected base64", cte)
	}
	return nil
}

func (d *SignedDirectory) parseEntries(boundary string) error {
	mr := multipart.NewReader(bytes.NewReader(d.SignedData), boundary)
	seenHeader := false
	for n := 0; ; n++ {
		p, err := mr.NextRawPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("directory entry %d: %w", n+1, err)
		}
		if n >= maxDirectoryParts {
			return fmt.Errorf("the directory has more than %d entries", maxDirectoryParts)
		}
		if exp := p.Header.Get("Expire-Date"); exp != "" {
			if seenHeader {
				return errors.New("the directory has two Expire-date entries")
			}
			seenHeader = true
			if err := d.parseHeaderEntry(p.Header); err != nil {
				return err
			}
			continue
		}
		if n == 0 && p.Header.Get("Content-Location") == "" {
			return errors.New("the directory has no Expire-date (its first entry must carry Expire-date and Version)")
		}
		part, err := parseEntry(p)
		if err != nil {
			return fmt.Errorf("directory entry %d: %w", n+1, err)
		}
		d.Parts = append(d.Parts, part)
	}
	if !seenHeader {
		return errors.New("the directory has no Expire-date")
	}
	return nil
}

func (d *SignedDirectory) parseHeaderEntry(h textproto.MIMEHeader) error {
	exp := strings.TrimSpace(h.Get("Expire-Date"))
	t, err := time.Parse(time.RFC3339Nano, exp)
	if err != nil {
		return fmt.Errorf("the Expire-date %q is not an ISO-8601 date-time", exp)
	}
	d.ExpireDate = t
	if v := strings.TrimSpace(h.Get("Version")); v != "" {
		if d.Version, err = strconv.Atoi(v); err != nil || d.Version <= 0 {
			return fmt.Errorf("the Version %q is not a positive number", v)
		}
	}
	return nil
}

func parseEntry(p *multipart.Part) (DirectoryPart, error) {
	var e DirectoryPart
	e.ContentIdentifier, e.Instance = contentIdentifier(p.Header.Get("Content-Identifier"))
	e.ContentLocation = strings.TrimSpace(p.Header.Get("Content-Location"))
	e.ContentFileName = strings.TrimSpace(p.Header.Get("Content-File-Name"))
	e.HashAlgorithmID = strings.TrimSpace(p.Header.Get("Hash-Algorithm-Id"))
	if e.ContentLocation == "" {
		return e, errors.New("no Content-location")
	}
	if e.HashAlgorithmID == "" {
		return e, fmt.Errorf("%s has no Hash-algorithm-id", e.ContentLocation)
	}
	h, err := hashByID(e.HashAlgorithmID)
	if err != nil {
		return e, fmt.Errorf("%s: %w", e.ContentLocation, err)
	}
	if err := checkBase64Encoding(p.Header); err != nil {
		return e, fmt.Errorf("%s: %w", e.ContentLocation, err)
	}
	raw, err := io.ReadAll(p)
	if err != nil {
		return e, err
	}
	if e.Hash, err = decodeBase64(string(raw)); err != nil || len(e.Hash) != h.Size() {
		return e, fmt.Errorf("%s: the hash is not a base64 %s digest", e.ContentLocation, h)
	}
	return e, nil
}

// contentIdentifier splits "SHARED-PARAMETERS; instance='DEV'".
func contentIdentifier(v string) (id, instance string) {
	id, params := headerParams(v)
	return id, params["instance"]
}

// headerParams splits "value; name=v; name='v'; name=\"v\"" into the value
// and its parameters (names lower-cased, quotes removed).
func headerParams(v string) (string, map[string]string) {
	fields := strings.Split(v, ";")
	params := make(map[string]string)
	for _, f := range fields[1:] {
		name, val, ok := strings.Cut(f, "=")
		if !ok {
			continue
		}
		val = strings.TrimSpace(val)
		if len(val) >= 2 && (val[0] == '"' || val[0] == '\'') && val[len(val)-1] == val[0] {
			val = val[1 : len(val)-1]
		}
		params[strings.ToLower(strings.TrimSpace(name))] = val
	}
	return strings.TrimSpace(fields[0]), params
}

// Part returns the entry with the given content identifier and instance.
func (d *SignedDirectory) Part(contentIdentifier, instance string) (*DirectoryPart, bool) {
	for i := range d.Parts {
		if p := &d.Parts[i]; p.ContentIdentifier == contentIdentifier && p.Instance == instance {
			return p, true
		}
	}
	return nil, false
}

// Instance is the instance the directory belongs to: that of its private
// parameters, else of its first part that names one.
func (d *SignedDirectory) Instance() string {
	for _, p := range d.Parts {
		if p.ContentIdentifier == ContentPrivateParameters {
			return p.Instance
		}
	}
	for _, p := range d.Parts {
		if p.Instance != "" {
			return p.Instance
		}
	}
	return ""
}

// Verify checks the directory as X-Road's configuration client does: the
// certificate among trusted (anchor certificates plus rotated source
// certificates) whose hash equals Verification-certificate-hash must verify
// the signature, and the Expire-date must be after now.
func (d *SignedDirectory) Verify(trusted []*x509.Certificate, now time.Time) error {
	h, err := hashByID(d.VerificationCertHashAlgorithmID)
	if err != nil {
		return fail(xroad.CodeGlobalConfVerification, ErrUnsupportedAlgorithm, err, "The configuration directory uses an unsupported algorithm: %v", err)
	}
	var cert *x509.Certificate
	for _, c := range trusted {
		if c != nil && subtle.ConstantTimeCompare(digest(h, c.Raw), d.VerificationCertHash) == 1 {
			cert = c
			break
		}
	}
	certHash := base64.StdEncoding.EncodeToString(d.VerificationCertHash)
	if cert == nil {
		return fail(xroad.CodeGlobalConfVerification, ErrUnknownVerificationCert, nil,
			"Could not find verification certificate for certificate hash %s: the configuration of instance %s is signed with a key the configuration anchor does not list; upload the current anchor",
			certHash, d.Instance())
	}
	alg, ok := sigAlgorithms[d.SignatureAlgorithmID]
	if !ok {
		return fail(xroad.CodeGlobalConfVerification, ErrUnsupportedAlgorithm, nil, "The configuration directory uses the unsupported signature algorithm %s", d.SignatureAlgorithmID)
	}
	if err := verifySignature(cert.PublicKey, alg, d.SignedData, d.Signature); err != nil {
		return fail(xroad.CodeGlobalConfVerification, ErrBadSignature, err,
			"Failed to verify signature of the configuration directory of instance %s (certificate hash %s): the configuration was altered or damaged",
			d.Instance(), certHash)
	}
	if !now.Before(d.ExpireDate) {
		return fail(xroad.CodeGlobalConfOutdated, ErrExpired, nil,
			"Configuration instance %s expired on %s; check that the central server generates configuration",
			d.Instance(), d.ExpireDate.UTC().Format(time.RFC3339))
	}
	return nil
}

// hashMatches reports whether data has the part's hash.
func hashMatches(p *DirectoryPart, data []byte) bool {
	h, err := hashByID(p.HashAlgorithmID)
	return err == nil && subtle.ConstantTimeCompare(digest(h, data), p.Hash) == 1
}

// VerifyPart checks a downloaded file against its directory entry: the hash,
// and for SHARED-PARAMETERS and PRIVATE-PARAMETERS that the file's
// instanceIdentifier equals the entry's instance.
func VerifyPart(p *DirectoryPart, data []byte) error {
	_, err := verifyPart(p, data)
	return err
}

// verifyPart is VerifyPart returning the parsed parameters
// (*SharedParameters or *PrivateParameters, nil for other parts).
func verifyPart(p *DirectoryPart, data []byte) (any, error) {
	if _, err := hashByID(p.HashAlgorithmID); err != nil {
		return nil, fail(xroad.CodeGlobalConfVerification, ErrUnsupportedAlgorithm, err, "The configuration directory uses an unsupported algorithm: %v", err)
	}
	if !hashMatches(p, data) {
		return nil, fail(xroad.CodeGlobalConfVerification, ErrHashMismatch, nil,
			"Failed to verify content integrity of %s (%s): the downloaded file does not match the signed directory",
			p.ContentLocation, p.ContentIdentifier)
	}
	var parsed any
	var instance string
	switch p.ContentIdentifier {
	case ContentSharedParameters:
		sp, err := ParseSharedParameters(data)
		if err != nil {
			return nil, err
		}
		parsed, instance = sp, sp.InstanceIdentifier
	case ContentPrivateParameters:
		pp, err := ParsePrivateParameters(data)
		if err != nil {
			return nil, err
		}
		parsed, instance = pp, pp.InstanceIdentifier
	default:
		return nil, nil
	}
	if instance != p.Instance {
		return nil, fail(xroad.CodeGlobalConfVerification, ErrWrongInstance, nil,
			"Content part %s (%s) has instance identifier %q, but the directory says %q",
			p.ContentLocation, p.ContentIdentifier, instance, p.Instance)
	}
	return parsed, nil
}
