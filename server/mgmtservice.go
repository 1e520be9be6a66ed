package main

import (
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/roadreg/roadreg/internal/central"
	"github.com/roadreg/roadreg/internal/mgmtreq"
	"github.com/roadreg/roadreg/internal/xroad"
)

// managementService serves POST /managementservice/ (authCertReg and
// authCertDeletion, X-Road's PR-MSERV) and POST /managementservice/status
// (Roadreg's request status query) for svc, at most perMinute requests a
// minute per client address.
func managementService(svc *central.Service, perMinute int) http.Handler {
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
			serveRequestStatus(svc, w, r)
			return
		}
		req, err := mgmtreq.ReadRequest(r)
		if err != nil {
			writeFault(w, http.StatusInternalServerError, err)
			return
		}
		serve := svc.RegisterFromSecurityServer
		if req.Kind == mgmtreq.ServiceCodeDeletion {
			serve = svc.UnregisterFromSecurityServer
		}
		id, err := serve(r.Context(), req, ip)
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

// serveRequestStatus answers a security server's signed question about a
// request it sent.
func serveRequestStatus(svc *central.Service, w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 16<<10))
	if err != nil {
		http.Error(w, "request body too large", http.StatusRequestEntityTooLarge)
		return
	}
	q, err := mgmtreq.ParseStatusQuery(body)
	if err != nil {
		writeJSONError(w, http.StatusBadRequest, xroad.CodeOf(err), xroad.Message(err))
		return
	}
	ans, err := svc.RequestStatus(r.Context(), q)
	switch code := xroad.CodeOf(err); code {
	case "":
		if err != nil {
			slog.ErrorContext(r.Context(), "request status", "err", err)
			writeJSONError(w, http.StatusInternalServerError, xroad.CodeInternal, "internal error")
			return
		}
		writeJSON(w, http.StatusOK, ans)
	case xroad.CodeManagementRequestNotFound:
		writeJSONError(w, http.StatusNotFound, code, xroad.Message(err))
	default:
		writeJSONError(w, http.StatusForbidden, code, xroad.Message(err))
	}
}

// writeFault answers with a SOAP fault carrying err's code and message.
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
	if len(l.limiters) > 10000 { // bound memory under a spray of addresses
		l.limiters = map[string]*rate.Limiter{}
	}
	lim := l.limiters[key]
	if lim == nil {
		lim = rate.NewLimiter(l.every, l.burst)
		l.limiters[key] = lim
	}
	return lim.Allow()
}
