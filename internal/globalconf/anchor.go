package globalconf

import (
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/roadreg/roadreg/internal/xroad"
)

// Anchor is an X-Road configuration anchor: the instance and where (and with
// which certificates) its signed configuration is downloaded and verified.
type Anchor struct {
	GeneratedAt time.Time // zero: not stated
	Instance    string
	Sources     []AnchorSource
}

// AnchorSource is one download location of an anchor.
type AnchorSource struct {
	// DownloadURL is the directory URL, typically http://<cs>/internalconf.
	DownloadURL string
	// VerificationCerts hold the public keys that verify the directory
	// signature (X-Road ignores their validity dates).
	VerificationCerts []*x509.Certificate
}

// VerificationCerts returns the certificates of all sources, without duplicates.
func (a *Anchor) VerificationCerts() []*x509.Certificate {
	var out []*x509.Certificate
	for _, s := range a.Sources {
		out = appendUniqueCerts(out, s.VerificationCerts...)
	}
	return out
}

type anchorXML struct {
	GeneratedAt string            `xml:"generatedAt,omitempty"`
	Instance    string            `xml:"instanceIdentifier"`
	Sources     []anchorSourceXML `xml:"source"`
}

type anchorSourceXML struct {
	DownloadURL string   `xml:"downloadURL"`
	Certs       []string `xml:"verificationCert"`
}

// anchorTimeLayout is how X-Road writes generatedAt (UTC, milliseconds).
const anchorTimeLayout = "2006-01-02T15:04:05.000Z07:00"

// BuildAnchor writes a as an X-Road configurationAnchor document (valid
// against globalconf/v2/private-parameters.xsd).
func BuildAnchor(a Anchor) ([]byte, error) {
	if err := a.validate(); err != nil {
		return nil, err
	}
	x, err := anchorToXML(a)
	if err != nil {
		return nil, err
	}
	return encodeDocument("configurationAnchor", x)
}

func anchorToXML(a Anchor) (anchorXML, error) {
	x := anchorXML{Instance: a.Instance}
	if !a.GeneratedAt.IsZero() {
		x.GeneratedAt = a.GeneratedAt.UTC().Format(anchorTimeLayout)
	}
	for _, s := range a.Sources {
		x.Sources = append(x.Sources, anchorSourceXML{DownloadURL: s.DownloadURL, Certs: certTexts(s.VerificationCerts)})
	}
	if len(x.Sources) == 0 {
		return x, errors.New("an anchor needs at least one source")
	}
	return x, nil
}

func (a *Anchor) validate() error {
	if a.Instance == "" {
		return errors.New("the anchor has no instance identifier")
	}
	if len(a.Sources) == 0 {
		return errors.New("the anchor has no configuration source")
	}
	for i, s := range a.Sources {
		if err := checkDownloadURL(s.DownloadURL); err != nil {
			return fmt.Errorf("source #%d: %w", i+1, err)
		}
		if len(s.VerificationCerts) == 0 {
			return fmt.Errorf("source #%d (%s) has no verification certificate", i+1, s.DownloadURL)
		}
	}
	return nil
}

func checkDownloadURL(s string) error {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("download URL %q is not an absolute http(s) URL", s)
	}
	return nil
}

// ParseAnchor parses a configuration anchor file. It holds the document to
// the rules of X-Road's schema for it (configurationAnchorType: the
// elements, their order and how often each occurs), as X-Road does before it
// uses an anchor. Any problem (not XML, a DOCTYPE, wrong root element, an
// element missing, out of place or unknown, a bad URL or certificate) is an
// *xroad.Error with code MALFORMED_ANCHOR whose message names it.
func ParseAnchor(data []byte) (*Anchor, error) {
	var x anchorXML
	if err := decodeDocument(data, MaxAnchorSize, NamespaceXRoad, "configurationAnchor", &x); err != nil {
		if errors.As(err, new(schemaError)) {
			return nil, anchorError(err, "The file does not follow X-Road's configuration anchor schema: %v. Upload the anchor XML file exported from the central server.", err)
		}
		return nil, anchorError(err, "The file is not a configuration anchor (%v). Upload the anchor XML file exported from the central server.", err)
	}
	a, err := anchorFromXML(&x)
	if err != nil {
		return nil, anchorError(err, "The configuration anchor is invalid: %v. Export the anchor again from the central server.", err)
	}
	if err := a.validate(); err != nil {
		return nil, anchorError(err, "The configuration anchor is invalid: %v. Export the anchor again from the central server.", err)
	}
	return a, nil
}

func anchorError(cause error, format string, args ...any) *xroad.Error {
	return xroad.Errorf(xroad.CodeMalformedAnchor, format, args...).Wrap(cause)
}

func anchorFromXML(x *anchorXML) (*Anchor, error) {
	a := &Anchor{Instance: strings.TrimSpace(x.Instance)}
	if a.Instance == "" {
		return nil, errors.New("instanceIdentifier is missing")
	}
	if g := strings.TrimSpace(x.GeneratedAt); g != "" {
		t, err := parseDateTime(g)
		if err != nil {
			return nil, fmt.Errorf("generatedAt %q is not a date-time", g)
		}
		a.GeneratedAt = t
	}
	if len(x.Sources) == 0 {
		return nil, errors.New("it lists no configuration source")
	}
	for i, s := range x.Sources {
		certs, err := parseCertTexts(fmt.Sprintf("source #%d verificationCert", i+1), s.Certs)
		if err != nil {
			return nil, err
		}
		a.Sources = append(a.Sources, AnchorSource{DownloadURL: strings.TrimSpace(s.DownloadURL), VerificationCerts: certs})
	}
	return a, nil
}

// parseDateTime parses an xs:dateTime; one without a time zone is taken as UTC.
func parseDateTime(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, nil
	}
	return time.Parse("2006-01-02T15:04:05.999999999", s)
}

// AnchorHash is the hash X-Road shows for an anchor file: SHA-224 of the
// file's bytes, upper-case hex without separators.
func AnchorHash(file []byte) string {
	sum := sha256.Sum224(file)
	return strings.ToUpper(hex.EncodeToString(sum[:]))
}
