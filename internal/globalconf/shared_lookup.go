package globalconf

import (
	"bytes"
	"crypto/sha256"
	"crypto/x509"
	"strings"

	"github.com/roadreg/roadreg/internal/xroad"
)

// AuthCertHash is the hash under which shared parameters (v3 and later) list
// an authentication certificate: SHA-256 of its DER.
func AuthCertHash(der []byte) []byte {
	sum := sha256.Sum256(der)
	return sum[:]
}

// MemberID returns the identifier of m in this instance.
func (p *SharedParameters) MemberID(m *Member) xroad.ClientID {
	return xroad.ClientID{Instance: p.InstanceIdentifier, MemberClass: m.Class.Code, MemberCode: m.Code}
}

// Member finds the member of id (the member part of a subsystem id).
func (p *SharedParameters) Member(id xroad.ClientID) (*Member, bool) {
	if id.Instance != p.InstanceIdentifier {
		return nil, false
	}
	for i := range p.Members {
		m := &p.Members[i]
		if m.Class.Code == id.MemberClass && m.Code == id.MemberCode {
			return m, true
		}
	}
	return nil, false
}

// MemberName returns the name of the member of id (for a subsystem id, its
// member's name).
func (p *SharedParameters) MemberName(id xroad.ClientID) (string, bool) {
	m, ok := p.Member(id)
	if !ok {
		return "", false
	}
	return m.Name, true
}

// IsClientKnown reports whether id is a registered member or, for a
// subsystem id, a registered subsystem.
func (p *SharedParameters) IsClientKnown(id xroad.ClientID) bool {
	m, ok := p.Member(id)
	if !ok {
		return false
	}
	if id.SubsystemCode == "" {
		return true
	}
	for _, s := range m.Subsystems {
		if s.Code == id.SubsystemCode {
			return true
		}
	}
	return false
}

// SecurityServer finds a registered security server.
func (p *SharedParameters) SecurityServer(id xroad.ServerID) (*SecurityServer, bool) {
	for i := range p.SecurityServers {
		s := &p.SecurityServers[i]
		if s.ID.ServerCode == id.ServerCode && s.ID.Owner.Member() == id.Owner.Member() {
			return s, true
		}
	}
	return nil, false
}

// ServerByAuthCertHash finds the security server that lists sum (SHA-256 of
// an authentication certificate's DER, see AuthCertHash) among its
// registered authentication certificates.
func (p *SharedParameters) ServerByAuthCertHash(sum []byte) (*SecurityServer, bool) {
	for i := range p.SecurityServers {
		s := &p.SecurityServers[i]
		for _, h := range s.AuthCertHashes {
			if bytes.Equal(h, sum) {
				return s, true
			}
		}
	}
	return nil, false
}

// ApprovedCA finds an approved CA by name.
func (p *SharedParameters) ApprovedCA(name string) (*ApprovedCA, bool) {
	for i := range p.ApprovedCAs {
		if p.ApprovedCAs[i].Name == name {
			return &p.ApprovedCAs[i], true
		}
	}
	return nil, false
}

// CACerts returns the certificates of all approved CAs, top and intermediate.
func (p *SharedParameters) CACerts() []*x509.Certificate {
	var out []*x509.Certificate
	for _, ca := range p.ApprovedCAs {
		out = append(out, ca.Certs()...)
	}
	return out
}

// ACMEServerIPAddresses lists the addresses the CA's ACME server validates
// challenges from (acmeServer/ipAddress, comma-separated).
func (ca *ApprovedCA) ACMEServerIPAddresses() []string {
	out := []string{}
	if ca.ACMEServer == nil {
		return out
	}
	for _, ip := range strings.Split(ca.ACMEServer.IPAddress, ",") {
		if ip = strings.TrimSpace(ip); ip != "" {
			out = append(out, ip)
		}
	}
	return out
}

// Certs returns the CA's top certificate followed by its intermediates.
func (ca *ApprovedCA) Certs() []*x509.Certificate {
	out := []*x509.Certificate{ca.TopCA.Cert}
	for _, ic := range ca.IntermediateCAs {
		out = append(out, ic.Cert)
	}
	return out
}

// ApprovedCAFor returns the approved CA whose top or intermediate certificate
// issued cert (issuer name and signature both checked).
func (p *SharedParameters) ApprovedCAFor(cert *x509.Certificate) (*ApprovedCA, bool) {
	for i := range p.ApprovedCAs {
		for _, c := range p.ApprovedCAs[i].Certs() {
			if bytes.Equal(c.RawSubject, cert.RawIssuer) && cert.CheckSignatureFrom(c) == nil {
				return &p.ApprovedCAs[i], true
			}
		}
	}
	return nil, false
}

// OCSPResponders returns the OCSP responders listed for the CA certificate
// caCert (a top or intermediate CA of an approved CA).
func (p *SharedParameters) OCSPResponders(caCert *x509.Certificate) []OCSPInfo {
	for _, ca := range p.ApprovedCAs {
		infos := append([]CAInfo{ca.TopCA}, ca.IntermediateCAs...)
		for _, info := range infos {
			if info.Cert.Equal(caCert) {
				return info.OCSP
			}
		}
	}
	return nil
}

// ApprovedTSA finds an approved timestamping authority by name and URL (both
// must match, as X-Road requires when a TSA is added to a security server).
func (p *SharedParameters) ApprovedTSA(name, url string) (*ApprovedTSA, bool) {
	for i := range p.ApprovedTSAs {
		if t := &p.ApprovedTSAs[i]; t.Name == name && t.URL == url {
			return t, true
		}
	}
	return nil, false
}

// SourceVerificationCerts returns the internal verification certificates of
// every configuration source. A security server also trusts them for the
// next download, which is how the central server rotates its signing key.
func (p *SharedParameters) SourceVerificationCerts() []*x509.Certificate {
	var out []*x509.Certificate
	for _, s := range p.Sources {
		out = appendUniqueCerts(out, s.InternalVerificationCerts...)
	}
	return out
}

// MemberClasses returns the instance's member classes.
func (p *SharedParameters) MemberClasses() []MemberClass { return p.GlobalSettings.MemberClasses }
