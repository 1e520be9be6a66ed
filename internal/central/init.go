package central

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/roadreg/roadreg/ent"
	"github.com/roadreg/roadreg/ent/configurationsigningkey"
	"github.com/roadreg/roadreg/internal/audit"
	"github.com/roadreg/roadreg/internal/db"
	"github.com/roadreg/roadreg/internal/signer"
	"github.com/roadreg/roadreg/internal/signer/softtoken"
	"github.com/roadreg/roadreg/internal/viewer"
	"github.com/roadreg/roadreg/internal/xroad"
)

// InitInput is initializeCentralServer's input.
type InitInput struct {
	InstanceIdentifier   string
	CentralServerAddress string
	SoftTokenPIN         string
	// ManagementServiceProviderID is the subsystem that provides the
	// management services, INSTANCE/CLASS/CODE/SUBSYSTEM; "" appoints
	// <instance>/ORG/CENTRAL/MANAGEMENT.
	ManagementServiceProviderID string
}

// Initialize initialises the central server: the instance identifier and
// address, the software token with the PIN, the configuration-signing key
// with its self-signed certificate (the anchor's verification
// certificate), the management service's TLS certificate and the
// management service provider.
func (s *Service) Initialize(ctx context.Context, in InitInput) error {
	if err := viewer.Require(ctx, viewer.CSInitConfig); err != nil {
		return err
	}
	ctx = viewer.Elevated(ctx)
	instance := xroad.Trim(in.InstanceIdentifier)
	address := xroad.Trim(in.CentralServerAddress)
	if err := xroad.ValidateInstanceIdentifier(instance); err != nil {
		return err
	}
	if err := validateServerAddress(address); err != nil {
		return err
	}
	provider := defaultProvider(instance)
	if xroad.Trim(in.ManagementServiceProviderID) != "" {
		var err error
		if provider, err = parseProvider(instance, in.ManagementServiceProviderID); err != nil {
			return err
		}
	}
	if err := signer.ValidatePIN(in.SoftTokenPIN, false); err != nil {
		return err
	}
	if info, err := s.Info(ctx); err != nil {
		return err
	} else if info.Initialized {
		return xroad.Errorf(xroad.CodeAlreadyInit, "the central server is already initialised (instance %s)", info.Instance)
	}

	// Key generation happens before the transaction (it is slow and needs
	// no database); nothing is stored unless everything succeeds.
	kdf := softtoken.DefaultKDFParams()
	if s.opts.SoftTokenKDF != nil {
		kdf = *s.opts.SoftTokenKDF
	}
	tok, err := softtoken.NewInitialized(in.SoftTokenPIN, kdf, softtoken.WithClock(s.now))
	if err != nil {
		return err
	}
	key, err := tok.GenerateKey(xroad.AlgorithmRSA, "internal configuration signing key")
	if err != nil {
		return err
	}
	sg, err := tok.Signer(key)
	if err != nil {
		return err
	}
	now := s.now()
	signCert, err := selfSigned(sg, pkix.Name{CommonName: instance + " internal configuration signing key"}, now, nil)
	if err != nil {
		return err
	}
	tlsCert, tlsKeyDER, err := managementTLS(address, now)
	if err != nil {
		return err
	}
	stateBytes, err := tok.State().MarshalBinary()
	if err != nil {
		return err
	}
	err = db.WithTx(ctx, s.client, func(tx *ent.Tx) error {
		if exists, err := tx.CentralServerConf.Query().Exist(sys(ctx)); err != nil {
			return err
		} else if exists {
			return xroad.Errorf(xroad.CodeAlreadyInit, "the central server is already initialised")
		}
		if err := tx.CentralServerConf.Create().
			SetInstanceIdentifier(instance).SetCentralServerAddress(address).SetSoftTokenState(stateBytes).
			SetManagementServiceProviderClass(provider.MemberClass).SetManagementServiceProviderCode(provider.MemberCode).
			SetManagementServiceProviderSubsystem(provider.SubsystemCode).
			SetManagementTLSCertificate(tlsCert.Raw).SetManagementTLSKey(tlsKeyDER).Exec(ctx); err != nil {
			return err
		}
		if err := tx.ConfigurationSigningKey.Create().SetKeyID(key.ID).SetSourceType(configurationsigningkey.SourceTypeINTERNAL).
			SetAlgorithm(string(key.Algorithm)).SetCertificate(signCert.Raw).SetKeyBlob(key.Blob).SetActive(true).Exec(ctx); err != nil {
			return err
		}
		audit.Log(ctx, tx.Client(), audit.Entry{Event: "Initialize central server", Data: map[string]any{
			"instanceIdentifier": instance, "centralServerAddress": address, "serviceProviderIdentifier": provider.String()}})
		db.AfterCommit(tx, func() {
			s.tokenMu.Lock()
			s.token = tok
			s.tokenMu.Unlock()
			s.gen.claimLease(ctx)
			s.gen.trigger()
		})
		return nil
	})
	if err != nil {
		audit.Log(ctx, s.client, audit.Entry{Event: "Initialize central server", Failed: true, Data: map[string]any{"reason": err.Error()}})
		return err
	}
	s.shareLogin(ctx)
	return nil
}

// validateServerAddress accepts a host name or IP, optionally with :port.
func validateServerAddress(a string) error {
	host := a
	if h, p, err := net.SplitHostPort(a); err == nil {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return xroad.BadInput("centralServerAddress", "the port in %q is not a number between 1 and 65535", a)
		}
		host = h
	}
	if strings.ContainsAny(host, "/ ") {
		return xroad.BadInput("centralServerAddress", "give a host name or IP address, optionally with :port (not a URL): %q", a)
	}
	if err := xroad.ValidateHostAddress("centralServerAddress", host); err != nil {
		return err
	}
	return nil
}

// selfSigned makes a long-lived self-signed certificate for key; X-Road
// uses the configuration-signing certificate only as a container for the
// public key.
func selfSigned(key crypto.Signer, subject pkix.Name, now time.Time, hosts []string) (*x509.Certificate, error) {
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		return nil, err
	}
	tpl := &x509.Certificate{
		SerialNumber: serial.Add(serial, big.NewInt(1)),
		Subject:      subject,
		NotBefore:    now.Add(-time.Minute),
		NotAfter:     now.AddDate(20, 0, 0),
		KeyUsage:     x509.KeyUsageDigitalSignature,
	}
	for _, h := range hosts {
		if ip := net.ParseIP(h); ip != nil {
			tpl.IPAddresses = append(tpl.IPAddresses, ip)
		} else {
			tpl.DNSNames = append(tpl.DNSNames, h)
		}
	}
	if len(hosts) > 0 {
		tpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}
		tpl.KeyUsage |= x509.KeyUsageKeyEncipherment
	}
	der, err := x509.CreateCertificate(rand.Reader, tpl, tpl, key.Public(), key)
	if err != nil {
		return nil, err
	}
	return x509.ParseCertificate(der)
}

// managementTLS makes the management service's TLS key and certificate
// for the central server's host name.
func managementTLS(address string, now time.Time) (*x509.Certificate, []byte, error) {
	host := address
	if h, _, err := net.SplitHostPort(address); err == nil {
		host = h
	}
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	cert, err := selfSigned(k, pkix.Name{CommonName: host}, now, []string{host})
	if err != nil {
		return nil, nil, err
	}
	der, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		return nil, nil, err
	}
	return cert, der, nil
}
