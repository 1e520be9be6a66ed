package bench

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"fmt"
	"math/big"
	"time"

	"github.com/roadreg/roadreg/ent"
	"github.com/roadreg/roadreg/ent/memberclass"
	"github.com/roadreg/roadreg/internal/central"
	"github.com/roadreg/roadreg/internal/viewer"
)

// seedBatch is how many rows one INSERT holds (PostgreSQL allows 65535
// parameters per statement).
const seedBatch = 1000

// SeedRegistry adds n members of member class GOV (created when missing),
// each owning one security server with one authentication certificate (a
// real certificate, unique per server), directly with ent in batches, as
// the central server's registry would hold them after n registrations.
func SeedRegistry(ctx context.Context, c *ent.Client, n int) error {
	ctx = viewer.SystemContext(ctx, viewer.Central)
	class, err := c.MemberClass.Query().Where(memberclass.Code("GOV")).Only(ctx)
	if ent.IsNotFound(err) {
		class, err = c.MemberClass.Create().SetCode("GOV").SetDescription("Government").Save(ctx)
	}
	if err != nil {
		return err
	}
	issue, err := certIssuer()
	if err != nil {
		return err
	}
	for start := 0; start < n; start += seedBatch {
		end := min(start+seedBatch, n)
		members := make([]*ent.MemberCreate, 0, end-start)
		for i := start; i < end; i++ {
			members = append(members, c.Member.Create().SetMemberClass(class).
				SetMemberCode(fmt.Sprintf("M%06d", i)).SetName(fmt.Sprintf("Member %d Agency", i)))
		}
		ms, err := c.Member.CreateBulk(members...).Save(ctx)
		if err != nil {
			return fmt.Errorf("seeding members: %w", err)
		}
		servers := make([]*ent.SecurityServerCreate, len(ms))
		for i, m := range ms {
			servers[i] = c.SecurityServer.Create().SetOwner(m).SetServerCode(fmt.Sprintf("SS%06d", start+i)).
				SetAddress(fmt.Sprintf("ss%d.example.org", start+i))
		}
		ss, err := c.SecurityServer.CreateBulk(servers...).Save(ctx)
		if err != nil {
			return fmt.Errorf("seeding security servers: %w", err)
		}
		certs := make([]*ent.AuthCertificateCreate, len(ss))
		for i, s := range ss {
			cert, err := issue(int64(start + i))
			if err != nil {
				return err
			}
			sum := sha256.Sum256(cert.Raw)
			certs[i] = c.AuthCertificate.Create().SetSecurityServer(s).SetCertificate(cert.Raw).
				SetSha256(hex.EncodeToString(sum[:])).SetSubject(cert.Subject.String()).SetIssuer(cert.Issuer.String()).
				SetSerialNumber(cert.SerialNumber.Text(16)).SetNotBefore(cert.NotBefore).SetNotAfter(cert.NotAfter)
		}
		if err := c.AuthCertificate.CreateBulk(certs...).Exec(ctx); err != nil {
			return fmt.Errorf("seeding authentication certificates: %w", err)
		}
	}
	return nil
}

// certIssuer returns a function issuing authentication-like certificates
// with distinct serial numbers from one throwaway CA and key.
func certIssuer() (func(serial int64) (*x509.Certificate, error), error) {
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	leafKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	now := time.Now()
	ca := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Bench seed CA"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.AddDate(1, 0, 0), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign}
	return func(serial int64) (*x509.Certificate, error) {
		tmpl := &x509.Certificate{SerialNumber: big.NewInt(serial + 2),
			Subject:   pkix.Name{Country: []string{"DEV"}, Organization: []string{"GOV"}, CommonName: fmt.Sprintf("SS%06d", serial)},
			NotBefore: now.Add(-time.Hour), NotAfter: now.AddDate(1, 0, 0),
			KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &leafKey.PublicKey, caKey)
		if err != nil {
			return nil, err
		}
		return x509.ParseCertificate(der)
	}, nil
}

// CentralPIN is the software-token PIN of the central servers the
// benchmarks initialise.
const CentralPIN = "Bench-Central-PIN-1"

// StartCentral starts an in-process central server on dsn, initialises it
// as instance DEV (its address is its own loopback listener) and seeds
// n members with one security server each.
func StartCentral(ctx context.Context, dsn string, n int) (*Server, error) {
	s, err := StartServer(ctx, ServerOptions{Role: viewer.Central, DSN: dsn})
	if err != nil {
		return nil, err
	}
	err = s.Central.Initialize(s.System(ctx), central.InitInput{
		InstanceIdentifier: "DEV", CentralServerAddress: s.HTTP.Listener.Addr().String(), SoftTokenPIN: CentralPIN})
	if err == nil {
		err = SeedRegistry(ctx, s.Client, n)
	}
	if err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}
