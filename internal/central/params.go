package central

import (
	"context"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"fmt"
	"slices"
	"sort"

	"github.com/roadreg/roadreg/ent"
	"github.com/roadreg/roadreg/ent/authcertificate"
	"github.com/roadreg/roadreg/ent/member"
	"github.com/roadreg/roadreg/ent/securityserver"
	"github.com/roadreg/roadreg/ent/subsystem"
	"github.com/roadreg/roadreg/internal/globalconf"
	"github.com/roadreg/roadreg/internal/xroad"
)

// buildParameters reads the registry and returns the shared and private
// parameters of the next configuration version.
func (s *Service) buildParameters(ctx context.Context, conf *ent.CentralServerConf) (*globalconf.SharedParameters, *globalconf.PrivateParameters, error) {
	instance := conf.InstanceIdentifier
	certs, _, err := s.signingCerts(ctx)
	if err != nil {
		return nil, nil, err
	}
	shared := &globalconf.SharedParameters{
		InstanceIdentifier: instance,
		GlobalSettings:     globalconf.GlobalSettings{OCSPFreshnessSeconds: OCSPFreshnessSeconds},
	}
	// A configuration source per address: the central server's, then the
	// replicas' own (X-Road lists each node of a cluster).
	addrs, err := s.addresses(ctx, conf)
	if err != nil {
		return nil, nil, err
	}
	var hosts []string
	for _, a := range addrs {
		if h := hostOf(a); !slices.Contains(hosts, h) {
			hosts = append(hosts, h)
			shared.Sources = append(shared.Sources, globalconf.ConfigurationSource{Address: h, InternalVerificationCerts: certs, ExternalVerificationCerts: certs})
		}
	}

	cas, err := s.client.ApprovedCertificationService.Query().WithOcspResponders().All(ctx)
	if err != nil {
		return nil, nil, err
	}
	for _, ca := range cas {
		c, err := x509.ParseCertificate(ca.Certificate)
		if err != nil {
			return nil, nil, err
		}
		info := globalconf.CAInfo{Cert: c}
		for _, r := range ca.Edges.OcspResponders {
			o := globalconf.OCSPInfo{URL: r.URL}
			if len(r.Certificate) > 0 {
				if o.Cert, err = x509.ParseCertificate(r.Certificate); err != nil {
					return nil, nil, err
				}
			}
			info.OCSP = append(info.OCSP, o)
		}
		approved := globalconf.ApprovedCA{
			Name: ca.Name, AuthenticationOnly: ca.AuthenticationOnly, TopCA: info, CertificateProfileInfo: ca.CertificateProfileInfo,
			DefaultCSRFormat: string(ca.DefaultCsrFormat),
		}
		if ca.AcmeServerDirectoryURL != nil {
			approved.ACMEServer = &globalconf.ACMEServer{DirectoryURL: *ca.AcmeServerDirectoryURL, IPAddress: xroad.Deref(ca.AcmeServerIPAddress),
				AuthenticationCertificateProfileID: xroad.Deref(ca.AuthenticationCertificateProfileID),
				SigningCertificateProfileID:        xroad.Deref(ca.SigningCertificateProfileID)}
		}
		shared.ApprovedCAs = append(shared.ApprovedCAs, approved)
	}

	tsas, err := s.client.ApprovedTimestampingAuthority.Query().All(ctx)
	if err != nil {
		return nil, nil, err
	}
	for _, t := range tsas {
		c, err := x509.ParseCertificate(t.Certificate)
		if err != nil {
			return nil, nil, err
		}
		shared.ApprovedTSAs = append(shared.ApprovedTSAs, globalconf.ApprovedTSA{Name: t.Name, URL: t.URL, Cert: c})
	}

	classes, err := s.client.MemberClass.Query().All(ctx)
	if err != nil {
		return nil, nil, err
	}
	sort.Slice(classes, func(i, j int) bool { return classes[i].Code < classes[j].Code })
	for _, mc := range classes {
		shared.GlobalSettings.MemberClasses = append(shared.GlobalSettings.MemberClasses, globalconf.MemberClass{Code: mc.Code, Description: mc.Description})
	}

	// Only the columns the parameters need: with thousands of servers the
	// certificates themselves would be most of what is read (their hash
	// is stored with them).
	members, err := s.client.Member.Query().Select(member.FieldMemberCode, member.FieldName).WithMemberClass().
		WithSubsystems(func(q *ent.SubsystemQuery) { q.Select(subsystem.FieldSubsystemCode, subsystem.FieldName) }).
		WithOwnedServers(func(q *ent.SecurityServerQuery) {
			q.Select(securityserver.FieldServerCode, securityserver.FieldAddress).
				WithAuthCertificates(func(q *ent.AuthCertificateQuery) { q.Select(authcertificate.FieldSha256) })
		}).All(ctx)
	if err != nil {
		return nil, nil, err
	}
	for _, m := range members {
		mc := m.Edges.MemberClass
		gm := globalconf.Member{Class: globalconf.MemberClass{Code: mc.Code, Description: mc.Description}, Code: m.MemberCode, Name: m.Name}
		for _, sub := range m.Edges.Subsystems {
			gm.Subsystems = append(gm.Subsystems, globalconf.Subsystem{Code: sub.SubsystemCode, Name: xroad.Deref(sub.Name)})
		}
		shared.Members = append(shared.Members, gm)
		owner := xroad.ClientID{Instance: instance, MemberClass: mc.Code, MemberCode: m.MemberCode}
		for _, srv := range m.Edges.OwnedServers {
			gs := globalconf.SecurityServer{ID: xroad.ServerID{Owner: owner, ServerCode: srv.ServerCode}, Address: xroad.Deref(srv.Address)}
			for _, ac := range srv.Edges.AuthCertificates {
				h, err := hex.DecodeString(ac.Sha256)
				if err != nil || len(h) != sha256.Size {
					return nil, nil, fmt.Errorf("authentication certificate %d of %s has a malformed SHA-256 %q", ac.ID, gs.ID, ac.Sha256)
				}
				gs.AuthCertHashes = append(gs.AuthCertHashes, h)
			}
			shared.SecurityServers = append(shared.SecurityServers, gs)
		}
	}

	groups, err := s.client.GlobalGroup.Query().WithMembers(func(q *ent.MemberQuery) { q.WithMemberClass() }).All(ctx)
	if err != nil {
		return nil, nil, err
	}
	for _, g := range groups {
		gg := globalconf.GlobalGroup{Code: g.Code, Description: g.Description}
		for _, m := range g.Edges.Members {
			gg.Members = append(gg.Members, xroad.ClientID{Instance: instance, MemberClass: m.Edges.MemberClass.Code, MemberCode: m.MemberCode})
		}
		shared.GlobalGroups = append(shared.GlobalGroups, gg)
	}

	tlsCert := s.opts.TLSCertificate
	if tlsCert == nil {
		if tlsCert, err = x509.ParseCertificate(conf.ManagementTLSCertificate); err != nil {
			return nil, nil, err
		}
	}
	private := &globalconf.PrivateParameters{
		InstanceIdentifier: instance,
		ManagementService: globalconf.ManagementService{
			AuthCertRegServiceAddress:          s.baseURL(conf) + "/managementservice/",
			AuthCertRegServiceCert:             tlsCert,
			ManagementRequestServiceProviderID: providerID(conf),
		},
		TimeStampingIntervalSeconds: TimeStampingIntervalSeconds,
	}
	return shared, private, nil
}

// baseURL is how security servers reach this central server.
func (s *Service) baseURL(conf *ent.CentralServerConf) string {
	return s.urlOf(conf.CentralServerAddress)
}

// urlOf is the base URL of an address of the central server.
func (s *Service) urlOf(address string) string {
	scheme := "http"
	if s.opts.TLSCertificate != nil {
		scheme = "https"
	}
	return scheme + "://" + address
}

// hostOf strips a :port.
func hostOf(address string) string {
	if h, _, err := splitHostPort(address); err == nil {
		return h
	}
	return address
}
