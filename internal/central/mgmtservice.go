package central

import (
	"context"
	"crypto/x509"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/roadreg/roadreg/ent"
	"github.com/roadreg/roadreg/ent/managementrequest"
	"github.com/roadreg/roadreg/internal/audit"
	"github.com/roadreg/roadreg/internal/db"
	"github.com/roadreg/roadreg/internal/mgmtreq"
	"github.com/roadreg/roadreg/internal/pki"
	"github.com/roadreg/roadreg/internal/viewer"
	"github.com/roadreg/roadreg/internal/xroad"
)

// managementServiceActor names the management service in the audit log and
// in requests' created_by.
const managementServiceActor = "management service"

// RegisterFromSecurityServer serves an authCertReg request a security
// server sent (MEMBER_27/28): every check of MEMBER_27/28 in order, then a WAITING
// (or paired, or auto-approved) request. It returns the request number; a
// dry run is verified but not stored and returns 0.
func (s *Service) RegisterFromSecurityServer(ctx context.Context, r *mgmtreq.Request, clientAddr string) (int, error) {
	ctx = viewer.NewContext(ctx, &viewer.Viewer{Username: managementServiceActor, System: true, Server: viewer.Central})
	conf, err := s.conf(ctx)
	if err != nil {
		return 0, err
	}
	// Check 1: the central server's own configuration must be valid.
	if pub := s.gen.pub.Current(); pub == nil || !s.now().Before(pub.ExpireDate) {
		return 0, xroad.Errorf(xroad.CodeManagementRequestGlobalConfOutdated, "Global configuration of the central server is outdated; contact the central server administrator")
	}
	cas, err := s.approvedCACerts(ctx)
	if err != nil {
		return 0, err
	}
	trust := mgmtreq.NewPKITrust(cas, conf.InstanceIdentifier, providerID(conf), OCSPFreshnessSeconds*time.Second)
	if err := mgmtreq.Verify(r, trust, s.now()); err != nil {
		return 0, err
	}
	cert, err := x509.ParseCertificate(r.AuthCert)
	if err != nil {
		return 0, err
	}
	if r.Message.DryRun {
		return 0, nil
	}
	var req *ent.ManagementRequest
	err = retryOnConflict(func() error {
		return db.WithTx(ctx, s.client, func(tx *ent.Tx) error {
			var err error
			req, err = s.addAuthCertRequest(ctx, tx, authCertRequest{
				Server: r.Message.Server, Address: r.Message.Address, Cert: cert,
				Origin: managementrequest.OriginSECURITY_SERVER, CreatedBy: managementServiceActor, ClientAddress: clientAddr,
			})
			if err != nil {
				return err
			}
			audit.Log(ctx, tx.Client(), audit.Entry{Event: "Add authentication certificate registration request", Data: map[string]any{
				"requestId": req.RequestID, "serverId": r.Message.Server.String(), "address": r.Message.Address,
				"authCertHash": pki.SHA256Hex(cert.Raw), "clientAddress": clientAddr, "status": string(req.Status)}})
			if s.opts.AutoApprove && req.Status == managementrequest.StatusWAITING {
				if _, err := s.memberByID(ctx, tx.Client(), r.Message.Server.Owner); err == nil {
					return s.approveLocked(ctx, tx, req)
				} else if !ent.IsNotFound(err) {
					return err
				}
			}
			return nil
		})
	})
	if err != nil {
		s.auditFailure(ctx, "Add authentication certificate registration request", err, map[string]any{"serverId": r.Message.Server.String(), "clientAddress": clientAddr})
		return 0, err
	}
	return req.RequestID, nil
}

func providerID(c *ent.CentralServerConf) xroad.ClientID {
	return xroad.ClientID{Instance: c.InstanceIdentifier, MemberClass: c.ManagementServiceProviderClass,
		MemberCode: c.ManagementServiceProviderCode, SubsystemCode: c.ManagementServiceProviderSubsystem}
}

// RequestStatus answers a security server's status query about a request it
// sent (Roadreg extension, see mgmtreq/status.go).
func (s *Service) RequestStatus(ctx context.Context, q mgmtreq.StatusQuery) (mgmtreq.StatusAnswer, error) {
	ctx = sys(ctx)
	req, err := s.client.ManagementRequest.Query().Where(managementrequest.RequestID(q.RequestID)).Only(ctx)
	if ent.IsNotFound(err) {
		return mgmtreq.StatusAnswer{}, xroad.Errorf(xroad.CodeManagementRequestNotFound, "management request %d does not exist", q.RequestID)
	}
	if err != nil {
		return mgmtreq.StatusAnswer{}, err
	}
	cert, err := x509.ParseCertificate(req.AuthCertificate)
	if err != nil {
		return mgmtreq.StatusAnswer{}, xroad.Errorf(xroad.CodeForbidden, "request %d has no authentication certificate", q.RequestID)
	}
	if err := mgmtreq.VerifyStatusQuery(q, cert, s.now()); err != nil {
		return mgmtreq.StatusAnswer{}, err
	}
	return mgmtreq.StatusAnswer{RequestID: req.RequestID, Status: string(req.Status), Comments: xroad.Deref(req.Comments)}, nil
}

// ManagementServiceHandler serves POST /managementservice/ (authCertReg,
// X-Road's PR-MSERV) and POST /managementservice/status (Roadreg's request
// status query), rate-limited per client address.
func (s *Service) ManagementServiceHandler(perMinute int) http.Handler {
	lim := newLimiter(perMinute)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			http.Error(w, "the management service accepts POST requests only", http.StatusMethodNotAllowed)
			return
		}
		ip := clientIP(r)
		if !lim.allow(ip) {
			w.Header().Set("Retry-After", "60")
			writeFault(w, http.StatusTooManyRequests, xroad.Errorf(xroad.CodeManagementRequestRateLimited, "too many management requests from %s; try again in a minute", ip))
			return
		}
		if strings.HasSuffix(r.URL.Path, "/"+mgmtreq.StatusPath) {
			s.serveStatus(w, r)
			return
		}
		req, err := mgmtreq.ReadRequest(r)
		if err != nil {
			writeFault(w, http.StatusInternalServerError, err)
			return
		}
		id, err := s.RegisterFromSecurityServer(r.Context(), req, ip)
		if err != nil {
			if xroad.CodeOf(err) == "" {
				slog.ErrorContext(r.Context(), "management service", "err", err)
			}
			writeFault(w, http.StatusInternalServerError, err)
			return
		}
		body, err := mgmtreq.EncodeResponse(req, id)
		if err != nil {
			writeFault(w, http.StatusInternalServerError, err)
			return
		}
		w.Header().Set("Content-Type", mgmtreq.ResponseContentType)
		_, _ = w.Write(body)
	})
}

func (s *Service) serveStatus(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 16<<10))
	if err != nil {
		http.Error(w, "request body too large", http.StatusRequestEntityTooLarge)
		return
	}
	q, err := mgmtreq.ParseStatusQuery(body)
	if err != nil {
		writeJSONError(w, http.StatusBadRequest, err)
		return
	}
	ans, err := s.RequestStatus(r.Context(), q)
	switch xroad.CodeOf(err) {
	case "":
		if err != nil {
			slog.ErrorContext(r.Context(), "request status", "err", err)
			writeJSONError(w, http.StatusInternalServerError, xroad.Errorf(xroad.CodeInternal, "internal error"))
			return
		}
		writeJSON(w, http.StatusOK, ans)
	case xroad.CodeManagementRequestNotFound:
		writeJSONError(w, http.StatusNotFound, err)
	default:
		writeJSONError(w, http.StatusForbidden, err)
	}
}

func writeFault(w http.ResponseWriter, status int, err error) {
	w.Header().Set("Content-Type", mgmtreq.ResponseContentType)
	w.WriteHeader(status)
	_, _ = w.Write(mgmtreq.EncodeFault(err))
}

// limiter is a per-address token bucket: perMinute requests a minute.
type limiter struct {
	mu       sync.Mutex
	every    rate.Limit
	burst    int
	limiters map[string]*rate.Limiter
}

func newLimiter(perMinute int) *limiter {
	if perMinute <= 0 {
		perMinute = 10
	}
	return &limiter{every: rate.Every(time.Minute / time.Duration(perMinute)), burst: perMinute, limiters: map[string]*rate.Limiter{}}
}

func (l *limiter) allow(key string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.limiters) > 10000 {
		l.limiters = map[string]*rate.Limiter{}
	}
	lim := l.limiters[key]
	if lim == nil {
		lim = rate.NewLimiter(l.every, l.burst)
		l.limiters[key] = lim
	}
	return lim.Allow()
}

func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
