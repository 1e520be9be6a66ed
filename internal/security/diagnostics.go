package security

import (
	"context"
	"crypto/rand"
	"crypto/x509"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/roadreg/roadreg/ent/certificate"
	"github.com/roadreg/roadreg/ent/downloadedconf"
	"github.com/roadreg/roadreg/internal/globalconf"
	"github.com/roadreg/roadreg/internal/pki"
	"github.com/roadreg/roadreg/internal/viewer"
	"github.com/roadreg/roadreg/internal/xroad"
)

// diagnosticTimeout bounds each check of the diagnostics page, so one
// unreachable service cannot hold the page for the HTTP client's full
// timeouts.
const diagnosticTimeout = 5 * time.Second

// Status classes of the configuration client (X-Road's
// GlobalConfDiagnostics.status_class).
const (
	ConfStatusOK      = "OK"
	ConfStatusWaiting = "WAITING"
	ConfStatusFail    = "FAIL"
)

// Diagnostics is what the security server's diagnostics page shows (UG-SS,
// Diagnostics, and the registration diagnostics of X-Road 7.8): whether
// global configuration downloads, whether each configured timestamping
// service and each OCSP responder of the approved CAs answers, whether the
// central server's management service answers, and how far this server's
// clock is from theirs. The services are asked when Diagnostics runs.
type Diagnostics struct {
	GlobalConf   ConfDiagnostics
	Timestamping []ServiceCheck
	// OCSPResponders are the responders the configuration lists for the
	// approved CAs (top and intermediate).
	OCSPResponders []ServiceCheck
	// ManagementService is nil until a configuration names one.
	ManagementService *ServiceCheck
	// Clock compares this server's clock with the first timestamping
	// service that answered, else with the central server's Date header.
	Clock ClockCheck
}

// ConfDiagnostics is the state of the configuration client.
type ConfDiagnostics struct {
	globalconf.Status
	// StatusClass is ConfStatusOK, ConfStatusWaiting (nothing downloaded
	// yet) or ConfStatusFail.
	StatusClass string
	// SourceURL is where the configuration was last downloaded from.
	SourceURL string
	// LastAttemptAt and NextUpdateAt are zero when unknown.
	LastAttemptAt time.Time
	NextUpdateAt  time.Time
}

// ServiceCheck is the result of asking one service.
type ServiceCheck struct {
	// Name is the TSA's or CA's name (empty for the management service).
	Name      string
	URL       string
	Reachable bool
	// Error says why the service gave no valid answer, or what was wrong
	// with the answer.
	Error     string
	CheckedAt time.Time
	// offset is this server's clock minus the service's, when its answer
	// carried a time, and resolution that time's precision (see ClockCheck).
	offset     *time.Duration
	resolution time.Duration
}

// ClockCheck is how far this server's clock is from another's.
type ClockCheck struct {
	// Offset is this server's time minus the source's: positive when this
	// clock is ahead. Valid only when Source is set.
	Offset time.Duration
	// Source is the URL whose time was compared ("" when none answered).
	Source string
	// Resolution is how precise the source's time is (timestamps: their
	// accuracy; HTTP Date headers: one second).
	Resolution time.Duration
}

// Diagnostics runs the checks (permission diagnostics: X-Road's system
// administrators and observers).
func (s *Service) Diagnostics(ctx context.Context) (Diagnostics, error) {
	if err := viewer.Require(ctx, viewer.SSDiagnostics); err != nil {
		return Diagnostics{}, err
	}
	sys := system(ctx)
	var d Diagnostics
	conf, err := s.confDiagnostics(sys)
	if err != nil {
		return Diagnostics{}, err
	}
	d.GlobalConf = conf
	snap := s.snap.Load()
	if snap == nil || snap.Shared == nil {
		return d, nil
	}
	tsps, err := s.TimestampingServices(ctx)
	if err != nil {
		return Diagnostics{}, err
	}
	d.Timestamping = make([]ServiceCheck, len(tsps))
	for i, t := range tsps {
		d.Timestamping[i] = ServiceCheck{Name: t.Name, URL: t.URL}
	}
	targets, err := s.ocspTargets(sys, snap)
	if err != nil {
		return Diagnostics{}, err
	}
	d.OCSPResponders = make([]ServiceCheck, len(targets))
	for i, t := range targets {
		d.OCSPResponders[i] = ServiceCheck{Name: t.caName, URL: t.url}
	}
	if snap.Private != nil && snap.Private.ManagementService.AuthCertRegServiceAddress != "" {
		d.ManagementService = &ServiceCheck{URL: snap.Private.ManagementService.AuthCertRegServiceAddress}
	}

	var wg sync.WaitGroup
	run := func(c *ServiceCheck, check func(context.Context, *ServiceCheck)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cctx, cancel := context.WithTimeout(sys, diagnosticTimeout)
			defer cancel()
			check(cctx, c)
			c.CheckedAt = s.now()
		}()
	}
	for i := range d.Timestamping {
		run(&d.Timestamping[i], func(ctx context.Context, c *ServiceCheck) { s.checkTSA(ctx, snap, c) })
	}
	for i, t := range targets {
		run(&d.OCSPResponders[i], func(ctx context.Context, c *ServiceCheck) { s.checkResponder(ctx, snap, t, c) })
	}
	if d.ManagementService != nil {
		run(d.ManagementService, func(ctx context.Context, c *ServiceCheck) {
			s.checkManagementService(ctx, snap.Private.ManagementService, c)
		})
	}
	wg.Wait()
	d.Clock = clockFrom(d)
	return d, nil
}

// confDiagnostics describes the configuration client.
func (s *Service) confDiagnostics(ctx context.Context) (ConfDiagnostics, error) {
	st, err := s.GlobalConfStatus(ctx)
	if err != nil {
		return ConfDiagnostics{}, err
	}
	d := ConfDiagnostics{Status: st, StatusClass: ConfStatusOK}
	switch {
	case st.Version == 0:
		d.StatusClass = ConfStatusWaiting
	case st.Error != "":
		d.StatusClass = ConfStatusFail
	}
	row, err := s.client.DownloadedConf.Query().Where(downloadedconf.InstanceIdentifier(st.Instance)).Only(ctx)
	if err == nil {
		d.SourceURL = row.SourceURL
		if row.LastAttemptAt != nil {
			d.LastAttemptAt = *row.LastAttemptAt
			d.NextUpdateAt = row.LastAttemptAt.Add(s.opts.ConfPoll)
		}
	}
	return d, nil
}

// checkTSA asks a timestamping service for a timestamp and checks its
// signer against the approved TSA's certificate.
func (s *Service) checkTSA(ctx context.Context, snap *globalconf.Snapshot, c *ServiceCheck) {
	tsa := approvedTSAByURL(snap, c.URL)
	if tsa == nil {
		c.Error = fmt.Sprintf("%s is no longer an approved timestamping authority in the global configuration", c.URL)
		return
	}
	nonce := make([]byte, 32)
	_, _ = rand.Read(nonce)
	sent := s.now()
	ts, _, err := pki.RequestTimestamp(ctx, s.http, c.URL, nonce)
	if err == nil {
		err = pki.VerifyTimestampSigner(ts, tsa.Cert)
	}
	if err != nil {
		c.Error = xroad.Message(err)
		return
	}
	c.Reachable = true
	received := s.now()
	offset := sent.Add(received.Sub(sent) / 2).Sub(ts.Time) // this clock at the moment the TSA stamped
	c.offset, c.resolution = &offset, max(ts.Accuracy, time.Second)
}

// ocspTarget is one OCSP responder and the certificate to ask it about.
type ocspTarget struct {
	caName, url  string
	cert, issuer *x509.Certificate
	// own: cert is one of this server's certificates, so its answer can be
	// verified as activation would.
	own bool
}

// ocspTargets lists the OCSP responders of the approved CAs. Each is asked
// about one of this server's certificates the CA issued, or else about the
// CA's own certificate (a responder answers for any serial of its CA).
func (s *Service) ocspTargets(ctx context.Context, snap *globalconf.Snapshot) ([]ocspTarget, error) {
	rows, err := s.client.Certificate.Query().Order(certificate.ByID()).All(ctx)
	if err != nil {
		return nil, err
	}
	var mine []*x509.Certificate
	for _, r := range rows {
		if x, err := x509.ParseCertificate(r.Der); err == nil {
			mine = append(mine, x)
		}
	}
	var out []ocspTarget
	for _, ca := range snap.Shared.ApprovedCAs {
		for _, info := range append([]globalconf.CAInfo{ca.TopCA}, ca.IntermediateCAs...) {
			if info.Cert == nil {
				continue
			}
			cert, own := info.Cert, false
			for _, m := range mine {
				if m.CheckSignatureFrom(info.Cert) == nil {
					cert, own = m, true
					break
				}
			}
			for _, o := range info.OCSP {
				out = append(out, ocspTarget{caName: ca.Name, url: o.URL, cert: cert, issuer: info.Cert, own: own})
			}
		}
	}
	return out, nil
}

// checkResponder asks an OCSP responder; an answer about one of this
// server's certificates is verified too.
func (s *Service) checkResponder(ctx context.Context, snap *globalconf.Snapshot, t ocspTarget, c *ServiceCheck) {
	_, der, err := pki.FetchOCSP(ctx, s.http, t.url, t.cert, t.issuer)
	if err != nil {
		c.Error = xroad.Message(err)
		return
	}
	c.Reachable = true
	if t.own {
		freshness := time.Duration(snap.Shared.GlobalSettings.OCSPFreshnessSeconds) * time.Second
		if _, _, err := pki.VerifyOCSPResponse(der, t.cert, t.issuer, s.now(), freshness); err != nil {
			c.Error = xroad.Message(err)
		}
	}
}

// checkManagementService asks the central server's management service
// (through the client that pins its TLS certificate) with a HEAD request,
// which it answers without processing anything: any HTTP answer means it
// is reachable.
func (s *Service) checkManagementService(ctx context.Context, ms globalconf.ManagementService, c *ServiceCheck) {
	client, err := s.managementClient(ms)
	if err != nil {
		c.Error = xroad.Message(err)
		return
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, ms.AuthCertRegServiceAddress, nil)
	if err != nil {
		c.Error = fmt.Sprintf("The management service address %q is not a valid URL", ms.AuthCertRegServiceAddress)
		return
	}
	sent := s.now()
	res, err := client.Do(req)
	if err != nil {
		c.Error = fmt.Sprintf("The management service at %s could not be reached: %v", ms.AuthCertRegServiceAddress, err)
		return
	}
	res.Body.Close()
	c.Reachable = true
	if date, err := http.ParseTime(res.Header.Get("Date")); err == nil {
		received := s.now()
		offset := sent.Add(received.Sub(sent) / 2).Sub(date.Add(time.Second / 2)) // Date is truncated to the second
		c.offset, c.resolution = &offset, time.Second
	}
}

// clockFrom picks the clock comparison: a timestamping service's, else the
// central server's.
func clockFrom(d Diagnostics) ClockCheck {
	for _, c := range d.Timestamping {
		if c.offset != nil {
			return ClockCheck{Offset: *c.offset, Source: c.URL, Resolution: c.resolution}
		}
	}
	if m := d.ManagementService; m != nil && m.offset != nil {
		return ClockCheck{Offset: *m.offset, Source: m.URL, Resolution: m.resolution}
	}
	return ClockCheck{}
}
