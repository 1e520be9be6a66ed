// Package testca is Roadreg's built-in test certification authority for
// development and test instances: a root CA that signs authentication and
// signing certificates following X-Road's default certificate profile, an
// OCSP responder (RFC 6960) answering from the CA's index of issued
// certificates, and a timestamping authority (RFC 3161).
//
// A CA lives in a directory (see Init). It can be used in-process (Load, Sign,
// Revoke, Handler) or through `roadreg ca …` (RunCLI). Several CA values, in
// one process or several, may share a directory: the index is locked while it
// changes and re-read when another writer changed it.
package testca

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/roadreg/roadreg/internal/xroad"
)

// Defaults of InitOptions.
const (
	DefaultInstance     = "DEV"
	DefaultName         = "Roadreg Test CA"
	DefaultKeyAlgorithm = KeyEC
	DefaultBaseURL      = "http://127.0.0.1:8899"
)

// Key algorithms of the CA, OCSP responder and TSA keys.
const (
	KeyEC      = "EC" // ECDSA P-256
	KeyRSA2048 = "RSA2048"
	KeyRSA3072 = "RSA3072"
)

// Paths served by Handler; the base URL is prepended for the URLs that go
// into certificates.
const (
	PathSign    = "/testca/sign"
	PathCACert  = "/testca/ca.pem"
	PathOCSP    = "/testca/ocsp"
	PathOCSPPEM = "/testca/ocsp.pem"
	PathTSA     = "/testca/tsa"
	PathTSAPEM  = "/testca/tsa.pem"
)

// Files in a CA directory.
const (
	fileConfig   = "ca.json"
	fileCACert   = "ca.pem"
	fileCAKey    = "ca.key"
	fileOCSPCert = "ocsp.pem"
	fileOCSPKey  = "ocsp.key"
	fileTSACert  = "tsa.pem"
	fileTSAKey   = "tsa.key"
	fileIndex    = "index.json"
	fileLock     = "index.lock"
)

var allFiles = []string{fileConfig, fileCACert, fileCAKey, fileOCSPCert, fileOCSPKey, fileTSACert, fileTSAKey, fileIndex}

const (
	caValidity = 20 * 365 * 24 * time.Hour
	clockSkew  = time.Minute
)

var (
	oidOCSPNoCheck  = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 48, 1, 5}
	oidExtKeyUsage  = asn1.ObjectIdentifier{2, 5, 29, 37}
	oidTimeStamping = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 3, 8}
)

// InitOptions configure a new CA. Zero values take the defaults.
type InitOptions struct {
	Instance     string // X-Road instance the CA serves (C of every subject); default DEV
	Name         string // CN of the CA certificate; default "Roadreg Test CA"
	KeyAlgorithm string // EC (P-256, default), RSA2048 or RSA3072
	// BaseURL is where the CA will be served: issued certificates carry
	// <BaseURL>/testca/ocsp as OCSP responder, and the TSA is
	// <BaseURL>/testca/tsa. Default http://127.0.0.1:8899.
	BaseURL string
}

type config struct {
	Instance     string    `json:"instance"`
	Name         string    `json:"name"`
	KeyAlgorithm string    `json:"keyAlgorithm"`
	BaseURL      string    `json:"baseUrl"`
	Created      time.Time `json:"created"`
}

// CA is a test certification authority loaded from its directory. It is safe
// for concurrent use.
type CA struct {
	dir      string
	cfg      config
	cert     *x509.Certificate
	key      crypto.Signer
	ocspCert *x509.Certificate
	ocspKey  crypto.Signer
	tsaCert  *x509.Certificate
	tsaKey   crypto.Signer

	mu    sync.Mutex // guards index and seen
	index []Entry
	seen  os.FileInfo // the index file as last read or written
}

// Init creates a new CA in dir (created if missing, mode 0700): a
// self-signed root certificate, an OCSP responder certificate (id-kp-OCSPSigning,
// id-pkix-ocsp-nocheck) and a TSA certificate (critical id-kp-timeStamping),
// each with its private key (files of mode 0600), and an empty index. It
// refuses with ALREADY_INITIALIZED when dir already holds a CA.
func Init(dir string, opts InitOptions) (*CA, error) {
	cfg, err := opts.config()
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, xroad.Errorf(xroad.CodeBadUserInput, "Could not create the CA directory %s: %v", dir, err).WithField("dir")
	}
	for _, name := range allFiles {
		if _, err := os.Lstat(filepath.Join(dir, name)); !errors.Is(err, os.ErrNotExist) {
			return nil, xroad.Errorf(xroad.CodeAlreadyInit,
				"%s already holds a test CA (found %s); use it as it is, or choose an empty directory", dir, name)
		}
	}
	ca := &CA{dir: dir, cfg: cfg}
	if err := ca.create(); err != nil {
		return nil, err
	}
	return ca, nil
}

func (o InitOptions) config() (config, error) {
	cfg := config{Instance: o.Instance, Name: strings.TrimSpace(o.Name), KeyAlgorithm: o.KeyAlgorithm,
		BaseURL: strings.TrimSuffix(o.BaseURL, "/"), Created: time.Now().UTC()}
	if cfg.Instance == "" {
		cfg.Instance = DefaultInstance
	}
	if cfg.Name == "" {
		cfg.Name = DefaultName
	}
	if cfg.KeyAlgorithm == "" {
		cfg.KeyAlgorithm = DefaultKeyAlgorithm
	}
	if cfg.BaseURL == "" {
		cfg.BaseURL = DefaultBaseURL
	}
	if err := xroad.ValidateInstanceIdentifier(cfg.Instance); err != nil {
		return cfg, err
	}
	if len(cfg.Name) > 64 {
		return cfg, xroad.BadInput("name", "The CA name may have at most 64 characters (it becomes the certificate's CN)")
	}
	if _, err := newKey(cfg.KeyAlgorithm, true); err != nil {
		return cfg, err
	}
	u, err := url.Parse(cfg.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return cfg, xroad.BadInput("baseUrl", "The base URL %q must be an http or https URL such as %s, without query", cfg.BaseURL, DefaultBaseURL)
	}
	return cfg, nil
}

// newKey makes a key of the given algorithm; dryRun only checks the name.
func newKey(alg string, dryRun bool) (crypto.Signer, error) {
	bits := 0
	switch alg {
	case KeyEC:
	case KeyRSA2048:
		bits = 2048
	case KeyRSA3072:
		bits = 3072
	default:
		return nil, xroad.BadInput("keyAlgorithm", "Unknown key algorithm %q: use %s, %s or %s", alg, KeyEC, KeyRSA2048, KeyRSA3072)
	}
	switch {
	case dryRun:
		return nil, nil
	case bits == 0:
		return ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	default:
		return rsa.GenerateKey(rand.Reader, bits)
	}
}

// create makes the keys and certificates and writes every file; on failure it
// removes the files it wrote.
func (ca *CA) create() (err error) {
	if ca.key, err = newKey(ca.cfg.KeyAlgorithm, false); err != nil {
		return err
	}
	now := time.Now()
	root := &x509.Certificate{
		Subject:               pkix.Name{CommonName: ca.cfg.Name, Organization: []string{"Roadreg test PKI"}},
		NotBefore:             now.Add(-clockSkew),
		NotAfter:              now.Add(caValidity),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	if ca.cert, err = ca.issue(root, root, ca.key.Public(), ca.key); err != nil {
		return err
	}
	noCheck, err := asn1.Marshal(asn1.RawValue{Tag: asn1.TagNull})
	if err != nil {
		return err
	}
	if ca.ocspKey, err = newKey(ca.cfg.KeyAlgorithm, false); err != nil {
		return err
	}
	if ca.ocspCert, err = ca.issue(&x509.Certificate{
		Subject:               pkix.Name{CommonName: ca.cfg.Name + " OCSP", Organization: []string{"Roadreg test PKI"}},
		NotBefore:             now.Add(-clockSkew),
		NotAfter:              ca.cert.NotAfter,
		KeyUsage:              x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageOCSPSigning},
		BasicConstraintsValid: true,
		ExtraExtensions:       []pkix.Extension{{Id: oidOCSPNoCheck, Value: noCheck}},
	}, ca.cert, ca.ocspKey.Public(), ca.key); err != nil {
		return err
	}
	// RFC 3161 wants the timeStamping extended key usage alone and critical;
	// Go never marks it critical, so the extension is given explicitly.
	eku, err := asn1.Marshal([]asn1.ObjectIdentifier{oidTimeStamping})
	if err != nil {
		return err
	}
	if ca.tsaKey, err = newKey(ca.cfg.KeyAlgorithm, false); err != nil {
		return err
	}
	if ca.tsaCert, err = ca.issue(&x509.Certificate{
		Subject:               pkix.Name{CommonName: ca.cfg.Name + " TSA", Organization: []string{"Roadreg test PKI"}},
		NotBefore:             now.Add(-clockSkew),
		NotAfter:              ca.cert.NotAfter,
		KeyUsage:              x509.KeyUsageDigitalSignature,
		ExtraExtensions:       []pkix.Extension{{Id: oidExtKeyUsage, Critical: true, Value: eku}},
		BasicConstraintsValid: true,
	}, ca.cert, ca.tsaKey.Public(), ca.key); err != nil {
		return err
	}
	for _, f := range []struct {
		name string
		data []byte
		perm os.FileMode
	}{
		{fileCAKey, keyPEM(ca.key), 0o600},
		{fileOCSPKey, keyPEM(ca.ocspKey), 0o600},
		{fileTSAKey, keyPEM(ca.tsaKey), 0o600},
		{fileCACert, certPEM(ca.cert.Raw), 0o644},
		{fileOCSPCert, certPEM(ca.ocspCert.Raw), 0o644},
		{fileTSACert, certPEM(ca.tsaCert.Raw), 0o644},
		{fileIndex, mustJSON(indexFile{Certificates: []Entry{}}), 0o644},
		{fileConfig, mustJSON(ca.cfg), 0o644}, // last: marks the CA complete
	} {
		if f.data == nil {
			return xroad.Errorf(xroad.CodeInternal, "could not encode %s", f.name)
		}
		path := filepath.Join(ca.dir, f.name)
		if err := writeNew(path, f.data, f.perm); err != nil {
			return err
		}
		defer func() {
			if err != nil {
				_ = os.Remove(path)
			}
		}()
	}
	return ca.loadIndex()
}

// issue signs tmpl (given a fresh serial) with signer as parent and returns the
// parsed certificate.
func (ca *CA) issue(tmpl, parent *x509.Certificate, pub crypto.PublicKey, signer crypto.Signer) (*x509.Certificate, error) {
	serial, err := randomSerial()
	if err != nil {
		return nil, err
	}
	tmpl.SerialNumber = serial
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, pub, signer)
	if err != nil {
		return nil, xroad.Errorf(xroad.CodeInternal, "could not create a certificate").Wrap(err)
	}
	return x509.ParseCertificate(der)
}

// randomSerial is a random positive serial number of at most 128 bits.
func randomSerial() (*big.Int, error) {
	for {
		n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 128))
		if err != nil {
			return nil, err
		}
		if n.Sign() > 0 {
			return n, nil
		}
	}
}

// Load opens the CA in dir. It fails with NOT_INITIALIZED when there is none.
func Load(dir string) (*CA, error) {
	ca := &CA{dir: dir}
	data, err := os.ReadFile(filepath.Join(dir, fileConfig))
	if errors.Is(err, os.ErrNotExist) {
		return nil, xroad.Errorf(xroad.CodeNotInitialized, "%s holds no test CA; create one with `roadreg ca init --dir %s`", dir, dir)
	}
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(data, &ca.cfg); err != nil {
		return nil, fmt.Errorf("read %s: %w", fileConfig, err)
	}
	for _, p := range []struct {
		certFile, keyFile string
		cert              **x509.Certificate
		key               *crypto.Signer
	}{
		{fileCACert, fileCAKey, &ca.cert, &ca.key},
		{fileOCSPCert, fileOCSPKey, &ca.ocspCert, &ca.ocspKey},
		{fileTSACert, fileTSAKey, &ca.tsaCert, &ca.tsaKey},
	} {
		if *p.cert, *p.key, err = loadPair(filepath.Join(dir, p.certFile), filepath.Join(dir, p.keyFile)); err != nil {
			return nil, err
		}
	}
	if err := ca.loadIndex(); err != nil {
		return nil, err
	}
	return ca, nil
}

// LoadOrInit loads the CA in dir, or creates one with opts when dir holds
// none (what `roadreg dev` needs on every start). A loaded CA keeps the options
// it was created with, its base URL included.
func LoadOrInit(dir string, opts InitOptions) (ca *CA, created bool, err error) {
	ca, err = Load(dir)
	if !xroad.IsCode(err, xroad.CodeNotInitialized) {
		return ca, false, err
	}
	ca, err = Init(dir, opts)
	return ca, err == nil, err
}

func loadPair(certPath, keyPath string) (*x509.Certificate, crypto.Signer, error) {
	data, err := os.ReadFile(certPath)
	if err != nil {
		return nil, nil, err
	}
	block, _ := pem.Decode(data)
	if block == nil {
		return nil, nil, fmt.Errorf("%s holds no PEM certificate", certPath)
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", certPath, err)
	}
	if data, err = os.ReadFile(keyPath); err != nil {
		return nil, nil, err
	}
	if block, _ = pem.Decode(data); block == nil {
		return nil, nil, fmt.Errorf("%s holds no PEM private key", keyPath)
	}
	parsed, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: the private key could not be read", keyPath)
	}
	key, ok := parsed.(crypto.Signer)
	pub, okPub := cert.PublicKey.(interface{ Equal(crypto.PublicKey) bool })
	if !ok || !okPub || !pub.Equal(key.Public()) {
		return nil, nil, fmt.Errorf("the key in %s does not belong to the certificate in %s", keyPath, certPath)
	}
	return cert, key, nil
}

// Dir is the CA's directory.
func (ca *CA) Dir() string { return ca.dir }

// Instance is the X-Road instance the CA serves.
func (ca *CA) Instance() string { return ca.cfg.Instance }

// Name is the CA's name (CN of its certificate).
func (ca *CA) Name() string { return ca.cfg.Name }

// BaseURL is the URL the CA is meant to be served at.
func (ca *CA) BaseURL() string { return ca.cfg.BaseURL }

// OCSPURL is the OCSP responder URL that issued certificates carry.
func (ca *CA) OCSPURL() string { return ca.cfg.BaseURL + PathOCSP }

// TSAURL is the URL of the timestamping authority.
func (ca *CA) TSAURL() string { return ca.cfg.BaseURL + PathTSA }

// Certificate is the CA's (root) certificate.
func (ca *CA) Certificate() *x509.Certificate { return ca.cert }

// OCSPCertificate is the OCSP responder's certificate.
func (ca *CA) OCSPCertificate() *x509.Certificate { return ca.ocspCert }

// TSACertificate is the timestamping authority's certificate.
func (ca *CA) TSACertificate() *x509.Certificate { return ca.tsaCert }

func keyPEM(key crypto.Signer) []byte {
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
}

func certPEM(der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}

func mustJSON(v any) []byte {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return nil
	}
	return append(data, '\n')
}

// writeNew creates path (which must not exist) with perm and data.
func writeNew(path string, data []byte, perm os.FileMode) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return err
	}
	if err := f.Chmod(perm); err != nil { // whatever the umask
		f.Close()
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
