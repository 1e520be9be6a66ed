package main

// A fake central server for the security server's GraphQL-level tests:
// the test CA (OCSP responder and TSA) on loopback, a configuration
// publisher with the push channel, and a management service over TLS that
// verifies authCertReg and authCertDeletion requests with the real checks,
// keeps them in memory and answers the request-status query. approve and
// decline change a request and publish a new configuration, as the real
// central server does; a deletion removes the certificate from the next
// configuration at once.

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/roadreg/roadreg/internal/globalconf"
	"github.com/roadreg/roadreg/internal/mgmtreq"
	"github.com/roadreg/roadreg/internal/pki"
	"github.com/roadreg/roadreg/internal/pki/testca"
	"github.com/roadreg/roadreg/internal/signer/softtoken"
	"github.com/roadreg/roadreg/internal/xroad"
)

func init() {
	// Software-token key derivation at test cost (see app_security.go).
	softTokenKDF = &softtoken.KDFParams{Time: 1, MemoryKiB: 64, Threads: 1}
}

// Identities of the fake instance.
const (
	fcsInstance   = "DEV"
	fcsOwnerClass = "GOV"
	fcsOwnerCode  = "1234"
	fcsOwnerName  = "Test Organisation"
	fcsServerCode = "SS1"
	fcsTSAName    = "Roadreg Test TSA"
)

var (
	fcsOwner    = xroad.ClientID{Instance: fcsInstance, MemberClass: fcsOwnerClass, MemberCode: fcsOwnerCode}
	fcsProvider = xroad.ClientID{Instance: fcsInstance, MemberClass: fcsOwnerClass, MemberCode: fcsOwnerCode, SubsystemCode: "MANAGEMENT"}
	fcsOther    = xroad.ClientID{Instance: fcsInstance, MemberClass: "COM", MemberCode: "555"}
)

type fakeCS struct {
	t        testing.TB
	ca       *testca.CA
	caSrv    *httptest.Server
	confSrv  *httptest.Server
	mgmtSrv  *httptest.Server
	pub      *globalconf.Publisher
	hub      *globalconf.Hub
	signKey  crypto.Signer
	signCert *x509.Certificate
	// Anchor is the configuration anchor of the instance.
	Anchor []byte

	mu       sync.Mutex
	expiry   time.Duration
	shared   *globalconf.SharedParameters
	private  *globalconf.PrivateParameters
	requests map[int]*fakeRequest
	nextID   int
	version  int
	down     bool
	fault    error // when set, every authCertReg request is refused with it
}

type fakeRequest struct {
	req      *mgmtreq.Request
	status   string
	comments string
}

// newFakeCS starts the fake central server and publishes a first
// configuration, valid for ten minutes.
func newFakeCS(t testing.TB) *fakeCS {
	t.Helper()
	cs := &fakeCS{t: t, expiry: 10 * time.Minute, requests: map[int]*fakeRequest{}, nextID: 100}

	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if cs.ca, err = testca.Init(t.TempDir(), testca.InitOptions{Instance: fcsInstance, BaseURL: "http://" + l.Addr().String()}); err != nil {
		t.Fatal(err)
	}
	cs.caSrv = httptest.NewUnstartedServer(cs.ca.Handler())
	cs.caSrv.Listener.Close()
	cs.caSrv.Listener = l
	cs.caSrv.Start()
	t.Cleanup(cs.caSrv.Close)

	cs.pub = globalconf.NewPublisher()
	cs.hub = globalconf.NewHub()
	cs.confSrv = httptest.NewServer(globalconf.NewHandler(cs.pub, cs.hub))
	t.Cleanup(func() { cs.hub.Close(); cs.confSrv.Close() })
	cs.mgmtSrv = httptest.NewTLSServer(http.HandlerFunc(cs.serveManagement))
	t.Cleanup(cs.mgmtSrv.Close)

	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	cs.signKey = key
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "DEV internal configuration signing"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour), KeyUsage: x509.KeyUsageDigitalSignature}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		t.Fatal(err)
	}
	cs.signCert, _ = x509.ParseCertificate(der)

	gov := globalconf.MemberClass{Code: fcsOwnerClass, Description: "Government"}
	com := globalconf.MemberClass{Code: "COM", Description: "Commercial"}
	cs.shared = &globalconf.SharedParameters{
		InstanceIdentifier: fcsInstance,
		Sources: []globalconf.ConfigurationSource{{
			Address: strings.TrimPrefix(cs.confSrv.URL, "http://"), InternalVerificationCerts: []*x509.Certificate{cs.signCert},
		}},
		ApprovedCAs: []globalconf.ApprovedCA{{
			Name: cs.ca.Name(),
			TopCA: globalconf.CAInfo{Cert: cs.ca.Certificate(), OCSP: []globalconf.OCSPInfo{
				{URL: cs.ca.OCSPURL(), Cert: cs.ca.OCSPCertificate()},
			}},
			CertificateProfileInfo: pki.ProfileInfo,
		}},
		ApprovedTSAs: []globalconf.ApprovedTSA{{Name: fcsTSAName, URL: cs.ca.TSAURL(), Cert: cs.ca.TSACertificate()}},
		Members: []globalconf.Member{
			{Class: gov, Code: fcsOwnerCode, Name: fcsOwnerName, Subsystems: []globalconf.Subsystem{{Code: fcsProvider.SubsystemCode, Name: "Management services"}}},
			{Class: com, Code: fcsOther.MemberCode, Name: "Other Company"},
		},
		GlobalSettings: globalconf.GlobalSettings{MemberClasses: []globalconf.MemberClass{gov, com}, OCSPFreshnessSeconds: 3600},
	}
	cs.private = &globalconf.PrivateParameters{
		InstanceIdentifier: fcsInstance,
		ManagementService: globalconf.ManagementService{
			AuthCertRegServiceAddress:          cs.mgmtSrv.URL + "/managementservice/",
			AuthCertRegServiceCert:             cs.mgmtSrv.Certificate(),
			ManagementRequestServiceProviderID: fcsProvider,
		},
		TimeStampingIntervalSeconds: 60,
	}
	if cs.Anchor, err = globalconf.BuildAnchor(globalconf.Anchor{
		Instance: fcsInstance, GeneratedAt: time.Now().UTC().Truncate(time.Second),
		Sources: []globalconf.AnchorSource{{DownloadURL: cs.confSrv.URL + "/internalconf", VerificationCerts: []*x509.Certificate{cs.signCert}}},
	}); err != nil {
		t.Fatal(err)
	}
	cs.mu.Lock()
	cs.publishLocked()
	cs.mu.Unlock()
	return cs
}

// publishLocked signs and publishes the current parameters and announces
// them on the watch channel.
func (cs *fakeCS) publishLocked() {
	cs.t.Helper()
	shared, err := globalconf.MarshalSharedParameters(cs.shared)
	if err != nil {
		cs.t.Fatal(err)
	}
	private, err := globalconf.MarshalPrivateParameters(cs.private)
	if err != nil {
		cs.t.Fatal(err)
	}
	p, err := cs.pub.Publish(globalconf.Directory{ExpireDate: time.Now().Add(cs.expiry), Parts: []globalconf.Part{
		{ContentIdentifier: globalconf.ContentPrivateParameters, Instance: fcsInstance, Data: private},
		{ContentIdentifier: globalconf.ContentSharedParameters, Instance: fcsInstance, Data: shared},
	}}, cs.signKey, cs.signCert)
	if err != nil {
		cs.t.Fatal(err)
	}
	cs.version++
	cs.hub.Publish(cs.version, p.Hash)
}

// republish publishes the same parameters again, valid for expiry.
func (cs *fakeCS) republish(expiry time.Duration) {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	cs.expiry = expiry
	cs.publishLocked()
}

// addApprovedCA publishes another approved CA.
func (cs *fakeCS) addApprovedCA(ca globalconf.ApprovedCA) {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	cs.shared.ApprovedCAs = append(cs.shared.ApprovedCAs, ca)
	cs.publishLocked()
}

// setApprovedCA replaces the approved CA of that name.
func (cs *fakeCS) setApprovedCA(ca globalconf.ApprovedCA) {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	for i := range cs.shared.ApprovedCAs {
		if cs.shared.ApprovedCAs[i].Name == ca.Name {
			cs.shared.ApprovedCAs[i] = ca
		}
	}
	cs.publishLocked()
}

// registerServer publishes the security server id at address (without
// authentication certificates), as if it were registered.
func (cs *fakeCS) registerServer(id xroad.ServerID, address string) {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	cs.shared.SecurityServers = append(cs.shared.SecurityServers, globalconf.SecurityServer{ID: id, Address: address})
	cs.publishLocked()
}

// pinCert publishes cert as the management service's TLS certificate.
func (cs *fakeCS) pinCert(cert *x509.Certificate) {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	cs.private.ManagementService.AuthCertRegServiceCert = cert
	cs.publishLocked()
}

// refuse makes the management service answer every request with a SOAP
// fault carrying err (nil: accept again).
func (cs *fakeCS) refuse(err error) {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	cs.fault = err
}

// setDown makes the management service drop every connection.
func (cs *fakeCS) setDown(down bool) {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	cs.down = down
}

// request returns a stored request by id.
func (cs *fakeCS) request(id int) *fakeRequest {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	r := cs.requests[id]
	if r == nil {
		cs.t.Fatalf("the fake central server has no request %d", id)
	}
	return r
}

// approve approves a request: the server, its address and the auth cert
// hash go into a new configuration.
func (cs *fakeCS) approve(id int) {
	r := cs.request(id)
	cs.mu.Lock()
	defer cs.mu.Unlock()
	r.status = "APPROVED"
	m := r.req.Message
	hash := globalconf.AuthCertHash(r.req.AuthCert)
	for i := range cs.shared.SecurityServers {
		if s := &cs.shared.SecurityServers[i]; s.ID == m.Server {
			s.Address = m.Address
			s.AuthCertHashes = append(s.AuthCertHashes, hash)
			cs.publishLocked()
			return
		}
	}
	cs.shared.SecurityServers = append(cs.shared.SecurityServers, globalconf.SecurityServer{ID: m.Server, Address: m.Address, AuthCertHashes: [][]byte{hash}})
	cs.publishLocked()
}

// listCert lists an authentication certificate for the security server
// without a request from it, as when the central server's administrator
// registered it (UC-MEMBER MEMBER_12).
func (cs *fakeCS) listCert(server xroad.ServerID, der []byte) {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	for i := range cs.shared.SecurityServers {
		if s := &cs.shared.SecurityServers[i]; s.ID == server {
			s.AuthCertHashes = append(s.AuthCertHashes, globalconf.AuthCertHash(der))
		}
	}
	cs.publishLocked()
}

// decline declines a request and regenerates the configuration, as the
// central server does (which wakes the security server's watch channel).
func (cs *fakeCS) decline(id int, comments string) {
	r := cs.request(id)
	cs.mu.Lock()
	defer cs.mu.Unlock()
	r.status, r.comments = "DECLINED", comments
	cs.publishLocked()
}

// trust checks requests as the central server does: against every
// approved CA of the configuration, with its certificate profile.
func (cs *fakeCS) trust() *mgmtreq.PKITrust {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	cas := []*x509.Certificate{cs.ca.Certificate()}
	var addresses []globalconf.SecurityServer
	addresses = append(addresses, cs.shared.SecurityServers...)
	opts := []mgmtreq.TrustOption{mgmtreq.WithServerAddresses(func(owner xroad.ClientID) []string {
		var out []string
		for _, s := range addresses {
			if s.ID.Owner == owner && s.Address != "" {
				out = append(out, s.Address)
			}
		}
		return out
	})}
	for _, ca := range cs.shared.ApprovedCAs {
		if ca.TopCA.Cert == nil || ca.TopCA.Cert.Equal(cs.ca.Certificate()) {
			continue
		}
		cas = append(cas, ca.TopCA.Cert)
		if p, err := pki.ProfileFor(ca.CertificateProfileInfo); err == nil {
			opts = append(opts, mgmtreq.WithProfile(ca.TopCA.Cert, p))
		}
	}
	return mgmtreq.NewPKITrust(cas, fcsInstance, fcsProvider, 0, opts...)
}

func (cs *fakeCS) serveManagement(w http.ResponseWriter, r *http.Request) {
	cs.mu.Lock()
	down := cs.down
	cs.mu.Unlock()
	if down {
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				conn.Close()
				return
			}
		}
		w.WriteHeader(http.StatusServiceUnavailable)
		return
	}
	if strings.HasSuffix(r.URL.Path, "/"+mgmtreq.StatusPath) {
		cs.serveStatus(w, r)
		return
	}
	cs.mu.Lock()
	fault := cs.fault
	cs.mu.Unlock()
	req, err := mgmtreq.ReadRequest(r)
	if err == nil && fault != nil {
		err = fault
	}
	trust := cs.trust()
	var id int
	switch {
	case err != nil:
	case req.Kind == mgmtreq.ServiceCodeDeletion:
		if err = mgmtreq.VerifyDeletion(req, trust, time.Now()); err == nil {
			id, err = cs.deleteAuthCert(req)
		}
	default:
		if err = mgmtreq.Verify(req, trust, time.Now()); err == nil {
			cs.mu.Lock()
			cs.nextID++
			id = cs.nextID
			cs.requests[id] = &fakeRequest{req: req, status: "WAITING"}
			cs.mu.Unlock()
		}
	}
	w.Header().Set("Content-Type", mgmtreq.ResponseContentType)
	if err != nil {
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = w.Write(mgmtreq.EncodeFault(err))
		return
	}
	body, err := mgmtreq.EncodeResponse(req, id)
	if err != nil {
		w.WriteHeader(http.StatusInternalServerError)
		return
	}
	_, _ = w.Write(body)
}

// deleteAuthCert executes a verified authCertDeletion as the central server
// does: a listed certificate leaves the configuration, a waiting
// registration of it is revoked, anything else is refused.
func (cs *fakeCS) deleteAuthCert(req *mgmtreq.Request) (int, error) {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	m := req.Message
	hash := globalconf.AuthCertHash(m.AuthCert)
	found := false
	for i := range cs.shared.SecurityServers {
		srv := &cs.shared.SecurityServers[i]
		if n := slices.IndexFunc(srv.AuthCertHashes, func(h []byte) bool { return bytes.Equal(h, hash) }); n >= 0 && srv.ID == m.Server {
			srv.AuthCertHashes = slices.Delete(srv.AuthCertHashes, n, n+1)
			found = true
		}
	}
	for _, r := range cs.requests {
		if r.req.Kind == mgmtreq.ServiceCode && r.status == "WAITING" && bytes.Equal(r.req.AuthCert, m.AuthCert) && r.req.Message.Server == m.Server {
			r.status, found = "REVOKED", true
		}
	}
	if !found {
		return 0, xroad.Errorf(xroad.CodeManagementRequestInvalidAuthCertificate, "The authentication certificate is neither registered to nor submitted for security server %s", m.Server)
	}
	cs.nextID++
	cs.requests[cs.nextID] = &fakeRequest{req: req, status: "APPROVED"}
	cs.publishLocked()
	return cs.nextID, nil
}

// deleteFromConf removes an authentication certificate from the
// configuration, as a central server administrator does (UG-CS §8.4).
func (cs *fakeCS) deleteFromConf(der []byte) {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	hash := globalconf.AuthCertHash(der)
	for i := range cs.shared.SecurityServers {
		srv := &cs.shared.SecurityServers[i]
		srv.AuthCertHashes = slices.DeleteFunc(srv.AuthCertHashes, func(h []byte) bool { return bytes.Equal(h, hash) })
	}
	cs.publishLocked()
}

// listed reports whether the configuration lists the certificate.
func (cs *fakeCS) listed(der []byte) bool {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	_, ok := cs.shared.ServerByAuthCertHash(globalconf.AuthCertHash(der))
	return ok
}

func (cs *fakeCS) serveStatus(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<16))
	q, err := mgmtreq.ParseStatusQuery(body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	cs.mu.Lock()
	fr := cs.requests[q.RequestID]
	var ans mgmtreq.StatusAnswer
	if fr != nil {
		ans = mgmtreq.StatusAnswer{RequestID: q.RequestID, Status: fr.status, Comments: fr.comments}
	}
	cs.mu.Unlock()
	if fr == nil {
		http.NotFound(w, r)
		return
	}
	cert, err := x509.ParseCertificate(fr.req.AuthCert)
	if err == nil {
		err = mgmtreq.VerifyStatusQuery(q, cert, time.Now())
	}
	if err != nil {
		http.Error(w, err.Error(), http.StatusForbidden)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(ans)
}

// sign has the test CA issue a certificate for a CSR given as PEM.
func (cs *fakeCS) sign(t testing.TB, csrPEM, profile string) []byte {
	t.Helper()
	der, err := cs.ca.Sign([]byte(csrPEM), profile, 30)
	if err != nil {
		t.Fatalf("test CA signing %s certificate: %v", profile, err)
	}
	return der
}
