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

	// entriesBoundary separates the entries in SignedData.
	entriesBoundary string
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

// Header fields of a signed directory (PR-GCONF), as Roadreg writes them.
// Names are matched in any casing.
const (
	fieldContentType       = "Content-Type"
	fieldTransferEncoding  = "Content-Transfer-Encoding"
	fieldSignatureAlg      = "Signature-Algorithm-Id"
	fieldVerificationHash  = "Verification-certificate-hash"
	paramHashAlgorithm     = "hash-algorithm-id"
	fieldExpireDate        = "Expire-date"
	fieldVersion           = "Version"
	fieldContentIdentifier = "Content-identifier"
	paramInstance          = "instance"
	fieldContentLocation   = "Content-location"
	fieldContentFileName   = "Content-file-name"
	fieldHashAlgorithm     = "Hash-algorithm-id"
)

// ParseDirectory parses a complete signed directory (MIME header line
// included, as X-Road serves it) without checking its signature: for a
// directory this server verified or wrote before. A downloaded directory
// goes through VerifyDirectory.
//
// Like X-Road's configuration client it accepts any header-name casing, CRLF
// or LF line endings, quoted or unquoted boundaries, parameters with or
// without spaces after the semicolons, single or double quotes around the
// instance parameter, data entries in any order after the Expire-date entry,
// and multipart bodies that end without their closing delimiter (the last
// part then runs to the end of the input). It refuses, as X-Road's client
// does, a signature or data entry without Content-Type
// application/octet-stream and Content-Transfer-Encoding base64, a signature
// without algorithm or certificate hash (with its hash-algorithm-id), a
// first entry without Expire-date, and a data entry without Content-location
// or Hash-algorithm-id, or of shared or private parameters without instance.
func ParseDirectory(body []byte) (*SignedDirectory, error) {
	d, err := parseSigned(body)
	if err != nil {
		return nil, directoryError(err, "")
	}
	if err := d.parseEntries(nil); err != nil {
		return nil, directoryError(err, "")
	}
	return d, nil
}

// VerifyDirectory parses and verifies a downloaded directory in the order
// of X-Road's configuration client: the MIME structure and the signature
// part; the signature, with the certificate among trusted (anchor
// certificates plus rotated source certificates) whose hash equals
// Verification-certificate-hash; the Expire-date entry, which must be after
// now; then the data entries. So a directory whose signature does not verify
// is reported as such (ErrBadSignature) whatever its signed content holds.
// instance is the anchor's instance, named in messages.
func VerifyDirectory(body []byte, instance string, trusted []*x509.Certificate, now time.Time) (*SignedDirectory, error) {
	d, err := parseSigned(body)
	if err != nil {
		return nil, directoryError(err, instance)
	}
	if err := d.verifySignature(trusted, instance); err != nil {
		return nil, err
	}
	err = d.parseEntries(func(expires time.Time) error {
		if !now.Before(expires) {
			return fail(xroad.CodeGlobalConfOutdated, ErrExpired, nil,
				"Configuration instance %s expired on %s; check that the central server generates configuration",
				instance, expires.UTC().Format(time.RFC3339))
		}
		return nil
	})
	if err != nil {
		return nil, directoryError(err, instance)
	}
	return d, nil
}

// missingField is a header field, or a parameter of one, that a directory
// lacks (X-Road's client: "Missing field …", "Field … is missing parameter …").
type missingField struct{ field, param string }

func (m *missingField) Error() string {
	if m.param != "" {
		return fmt.Sprintf("the field %s has no parameter %s", m.field, m.param)
	}
	return fmt.Sprintf("the field %s is missing", m.field)
}

func (m *missingField) Unwrap() error { return ErrMissingField }

// directoryError turns a parse or verification failure into the
// *xroad.Error callers see, with its reason in the chain.
func directoryError(err error, instance string) *xroad.Error {
	var xe *xroad.Error
	if errors.As(err, &xe) {
		return xe
	}
	what := "The configuration directory"
	if instance != "" {
		what += " of instance " + instance
	}
	var mf *missingField
	switch {
	case errors.Is(err, ErrTooLarge):
		return malformed(err, "%s is too large (at most %d bytes are accepted)", what, MaxDirectorySize)
	case errors.Is(err, ErrUnsupportedAlgorithm):
		return fail(xroad.CodeGlobalConfVerification, ErrUnsupportedAlgorithm, err, "%s uses an unsupported algorithm: %v", what, err)
	case errors.Is(err, ErrBadSignature):
		return fail(xroad.CodeGlobalConfVerification, ErrBadSignature, err, "Failed to decode the signature of %s", strings.ToLower(what[:1])+what[1:])
	case errors.As(err, &mf):
		md := []string{mf.field}
		if mf.param != "" {
			md = append(md, mf.param)
		}
		return fail(xroad.CodeGlobalConfVerification, ErrMissingField, err, "%s is incomplete: %v", what, err).WithMetadata(md...)
	default:
		return malformed(err, "%s is malformed: %v", what, err)
	}
}

// parseSigned reads the MIME entity: the multipart/related with the
// directory part (kept as the signed data) and the signature part.
func parseSigned(body []byte) (*SignedDirectory, error) {
	if len(body) > MaxDirectorySize {
		return nil, fmt.Errorf("%w: it has %d bytes, at most %d are accepted", ErrTooLarge, len(body), MaxDirectorySize)
	}
	r := bufio.NewReader(bytes.NewReader(body))
	hdr, err := textproto.NewReader(r).ReadMIMEHeader()
	if err != nil {
		return nil, fmt.Errorf("it does not start with a MIME header: %w", err)
	}
	outer, err := multipartBoundary(hdr.Get(fieldContentType), "multipart/related")
	if err != nil {
		return nil, err
	}
	d := &SignedDirectory{}
	n, err := eachPart(r, outer, 2, func(i int, h textproto.MIMEHeader, data []byte) error {
		if i == 1 {
			return d.parseSignaturePart(h, data)
		}
		var err error
		if d.entriesBoundary, err = multipartBoundary(h.Get(fieldContentType), "multipart/mixed"); err != nil {
			return fmt.Errorf("directory part: %w", err)
		}
		d.SignedData = data
		return nil
	})
	switch {
	case err != nil:
		return nil, err
	case n == 0:
		return nil, fmt.Errorf("it has no part (no line --%s)", outer)
	case n == 1:
		return nil, errors.New("the signature part is missing")
	}
	return d, nil
}

// eachPart calls fn with the index, header and body of every part of the
// multipart body read from r, in order, and returns how many parts it read;
// more than max parts are refused. Like the MIME parser of X-Road's
// configuration client it accepts a body that ends without its closing
// delimiter: the last part then runs to the end of the input.
func eachPart(r io.Reader, boundary string, max int, fn func(i int, h textproto.MIMEHeader, body []byte) error) (int, error) {
	mr := multipart.NewReader(r, boundary)
	for i := 0; ; i++ {
		p, err := mr.NextRawPart()
		if errors.Is(err, io.EOF) {
			return i, nil // the closing delimiter, or the end of the input
		}
		if err != nil {
			return i, fmt.Errorf("part %d: %w", i+1, err)
		}
		if i == max {
			return i, fmt.Errorf("it has more than %d parts", max)
		}
		body, err := io.ReadAll(p)
		ended := errors.Is(err, io.ErrUnexpectedEOF)
		if err != nil && !ended {
			return i, fmt.Errorf("part %d: %w", i+1, err)
		}
		if err := fn(i, p.Header, body); err != nil {
			return i + 1, err
		}
		if ended {
			return i + 1, nil
		}
	}
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

// field returns the value of a required header field; want, when not
// empty, is the only value accepted (compared exactly, as X-Road does).
func field(h textproto.MIMEHeader, name, want string) (string, error) {
	v := strings.TrimSpace(h.Get(name))
	if v == "" {
		return "", &missingField{field: name}
	}
	if want != "" && v != want {
		return "", fmt.Errorf("the field %s is %q, it must be %s", name, v, want)
	}
	return v, nil
}

// octetStream checks the two fields X-Road requires of the signature and
// of every data entry.
func octetStream(h textproto.MIMEHeader) error {
	if _, err := field(h, fieldContentType, "application/octet-stream"); err != nil {
		return err
	}
	_, err := field(h, fieldTransferEncoding, "base64")
	return err
}

// parseSignaturePart reads the signature part in the order X-Road's client
// does: the signature itself, then its header fields.
func (d *SignedDirectory) parseSignaturePart(h textproto.MIMEHeader, body []byte) error {
	var err error
	if d.Signature, err = decodeBase64(string(body)); err != nil || len(d.Signature) == 0 {
		return fmt.Errorf("%w: the signature part does not hold a base64 signature", ErrBadSignature)
	}
	if err := octetStream(h); err != nil {
		return fmt.Errorf("signature part: %w", err)
	}
	if d.SignatureAlgorithmID, err = field(h, fieldSignatureAlg, ""); err != nil {
		return fmt.Errorf("signature part: %w", err)
	}
	if _, ok := sigAlgorithms[d.SignatureAlgorithmID]; !ok {
		return fmt.Errorf("%w: signature algorithm %q", ErrUnsupportedAlgorithm, d.SignatureAlgorithmID)
	}
	if _, err := field(h, fieldVerificationHash, ""); err != nil {
		return fmt.Errorf("signature part: %w", err)
	}
	v, params := headerParams(h.Get(fieldVerificationHash))
	d.VerificationCertHashAlgorithmID = strings.TrimSpace(params[paramHashAlgorithm])
	if d.VerificationCertHashAlgorithmID == "" {
		return fmt.Errorf("signature part: %w", &missingField{field: fieldVerificationHash, param: paramHashAlgorithm})
	}
	if _, err := hashByID(d.VerificationCertHashAlgorithmID); err != nil {
		return fmt.Errorf("the field %s: %w", fieldVerificationHash, err)
	}
	if d.VerificationCertHash, err = decodeBase64(v); err != nil || len(d.VerificationCertHash) == 0 {
		return fmt.Errorf("the field %s does not hold a base64 hash", fieldVerificationHash)
	}
	return nil
}

// verifySignature checks the signature with the trusted certificate whose
// hash the directory names.
func (d *SignedDirectory) verifySignature(trusted []*x509.Certificate, instance string) error {
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
			certHash, instance)
	}
	alg, ok := sigAlgorithms[d.SignatureAlgorithmID]
	if !ok {
		return fail(xroad.CodeGlobalConfVerification, ErrUnsupportedAlgorithm, nil, "The configuration directory uses the unsupported signature algorithm %s", d.SignatureAlgorithmID)
	}
	if err := verifySignature(cert.PublicKey, alg, d.SignedData, d.Signature); err != nil {
		return fail(xroad.CodeGlobalConfVerification, ErrBadSignature, err,
			"Failed to verify signature of the configuration directory of instance %s (certificate hash %s): the configuration was altered or damaged",
			instance, certHash)
	}
	return nil
}

// parseEntries reads the signed directory: its first entry carries
// Expire-date (and Version), the others one file each. checkExpiry, when
// not nil, judges the Expire-date before the data entries are read.
func (d *SignedDirectory) parseEntries(checkExpiry func(time.Time) error) error {
	n, err := eachPart(bytes.NewReader(d.SignedData), d.entriesBoundary, maxDirectoryParts, func(i int, h textproto.MIMEHeader, body []byte) error {
		if i == 0 {
			if err := d.parseHeaderEntry(h); err != nil {
				return err
			}
			if checkExpiry != nil {
				return checkExpiry(d.ExpireDate)
			}
			return nil
		}
		part, err := parseEntry(h, body)
		if err != nil {
			return fmt.Errorf("directory entry %d: %w", i+1, err)
		}
		d.Parts = append(d.Parts, part)
		return nil
	})
	if err != nil {
		return err
	}
	if n == 0 {
		return &missingField{field: fieldExpireDate}
	}
	return nil
}

func (d *SignedDirectory) parseHeaderEntry(h textproto.MIMEHeader) error {
	exp, err := field(h, fieldExpireDate, "")
	if err != nil {
		return err
	}
	if d.ExpireDate, err = time.Parse(time.RFC3339Nano, exp); err != nil {
		return fmt.Errorf("the Expire-date %q is not an ISO-8601 date-time with a time zone", exp)
	}
	if v := strings.TrimSpace(h.Get(fieldVersion)); v != "" {
		if d.Version, err = strconv.Atoi(v); err != nil || d.Version <= 0 {
			return fmt.Errorf("the Version %q is not a positive number", v)
		}
	}
	return nil
}

func parseEntry(h textproto.MIMEHeader, body []byte) (DirectoryPart, error) {
	var e DirectoryPart
	if err := octetStream(h); err != nil {
		return e, err
	}
	var err error
	if e.ContentLocation, err = field(h, fieldContentLocation, ""); err != nil {
		return e, err
	}
	if e.HashAlgorithmID, err = field(h, fieldHashAlgorithm, ""); err != nil {
		return e, fmt.Errorf("%s: %w", e.ContentLocation, err)
	}
	e.ContentIdentifier, e.Instance = contentIdentifier(h.Get(fieldContentIdentifier))
	if (e.ContentIdentifier == ContentSharedParameters || e.ContentIdentifier == ContentPrivateParameters) && e.Instance == "" {
		return e, fmt.Errorf("%s: %w", e.ContentLocation, &missingField{field: fieldContentIdentifier, param: paramInstance})
	}
	e.ContentFileName = strings.TrimSpace(h.Get(fieldContentFileName))
	hash, err := hashByID(e.HashAlgorithmID)
	if err != nil {
		return e, fmt.Errorf("%s: %w", e.ContentLocation, err)
	}
	if e.Hash, err = decodeBase64(string(body)); err != nil || len(e.Hash) != hash.Size() {
		return e, fmt.Errorf("%s: the hash is not a base64 %s digest", e.ContentLocation, hash)
	}
	return e, nil
}

// contentIdentifier splits "SHARED-PARAMETERS; instance='DEV'".
func contentIdentifier(v string) (id, instance string) {
	id, params := headerParams(v)
	return id, params[paramInstance]
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
