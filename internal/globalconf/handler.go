package globalconf

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Paths the Handler serves (register all three on the central server's mux).
const (
	PathDirectory = "/internalconf"
	PathWatch     = "/internalconf/watch"
	PathParts     = "/V6/"
)

// Handler defaults.
const (
	// DefaultPartLimit is how many part files one server sends at once;
	// further requests wait their turn.
	DefaultPartLimit = 64
	// partWait is how long a request waits for its turn before it is
	// answered 503 with Retry-After.
	partWait = 30 * time.Second
)

// HandlerOption configures NewHandler.
type HandlerOption func(*handler)

// WithPartLimit sets how many part files are sent at once (default
// DefaultPartLimit): when every security server downloads a new version at
// the same moment, the rest queue instead of all being answered at once.
func WithPartLimit(n int) HandlerOption {
	return func(h *handler) {
		if n > 0 {
			h.parts = make(chan struct{}, n)
		}
	}
}

// NewHandler serves what p publishes, as X-Road's central server does:
//
//	GET /internalconf[?version=6]  the signed directory (other versions: 404)
//	GET /V6/internalconf           the same
//	GET /V6/<id>/<file>            a part file, at its Content-location
//	GET /internalconf/watch        the push channel (hub; 404 when hub is nil)
//
// Responses carry an ETag and honour If-None-Match (304). The directory is
// sent with Cache-Control: no-cache (it changes with every version); part
// files never change and are cacheable until the current directory
// expires. A part file is sent gzip-compressed (compressed once per
// version) to a client whose Accept-Encoding allows gzip, and as it is to
// others, X-Road's configuration client among them. Directories are never
// listed and paths outside these shapes are 404.
func NewHandler(p *Publisher, hub *Hub, opts ...HandlerOption) http.Handler {
	h := &handler{pub: p, hub: hub}
	WithPartLimit(DefaultPartLimit)(h)
	for _, o := range opts {
		o(h)
	}
	return h
}

type handler struct {
	pub   *Publisher
	hub   *Hub
	parts chan struct{}
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch p := r.URL.Path; {
	case p == PathWatch:
		if h.hub == nil {
			http.NotFound(w, r)
			return
		}
		h.hub.ServeHTTP(w, r)
	case p == PathDirectory:
		if !allowRead(w, r) {
			return
		}
		if v := r.URL.Query().Get("version"); v != "" {
			if n, err := strconv.Atoi(v); err != nil || n != ConfigurationVersion {
				http.Error(w, fmt.Sprintf("Global configuration version %q is not served here; this central server generates version %d.", v, ConfigurationVersion), http.StatusNotFound)
				return
			}
		}
		h.serveDirectory(w, r)
	case p == PathParts+"internalconf":
		if allowRead(w, r) {
			h.serveDirectory(w, r)
		}
	case strings.HasPrefix(p, PathParts):
		if allowRead(w, r) {
			h.servePart(w, r, strings.TrimPrefix(p, PathParts))
		}
	default:
		http.NotFound(w, r)
	}
}

func allowRead(w http.ResponseWriter, r *http.Request) bool {
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		return true
	}
	w.Header().Set("Allow", "GET, HEAD")
	http.Error(w, "Only GET and HEAD are allowed.", http.StatusMethodNotAllowed)
	return false
}

func (h *handler) serveDirectory(w http.ResponseWriter, r *http.Request) {
	cur := h.pub.Current()
	if cur == nil {
		w.Header().Set("Retry-After", "10")
		http.Error(w, "Global configuration has not been generated yet.", http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("ETag", `"`+cur.Hash+`"`)
	w.Header().Set("Cache-Control", "no-cache")
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(cur.Directory))
}

func (h *handler) servePart(w http.ResponseWriter, r *http.Request, rest string) {
	id, name, ok := strings.Cut(rest, "/")
	if !ok || !versionIDPattern.MatchString(id) || !fileNamePattern.MatchString(name) {
		http.NotFound(w, r)
		return
	}
	pub := h.pub.version(id)
	if pub == nil {
		http.NotFound(w, r)
		return
	}
	f := pub.File(name)
	if f == nil {
		http.NotFound(w, r)
		return
	}
	if !h.take(r.Context()) {
		w.Header().Set("Retry-After", "1")
		http.Error(w, "Too many configuration downloads at once; try again in a second.", http.StatusServiceUnavailable)
		return
	}
	defer func() { <-h.parts }()
	maxAge := 0
	if cur := h.pub.Current(); cur != nil {
		maxAge = max(int(cur.ExpireDate.Sub(h.pub.Now()).Seconds()), 0)
	}
	ct := "application/octet-stream"
	if strings.HasSuffix(name, ".xml") {
		ct = "text/xml; charset=UTF-8"
	}
	hdr := w.Header()
	hdr.Set("Content-Type", ct)
	hdr.Set("Cache-Control", fmt.Sprintf("public, max-age=%d, immutable", maxAge))
	hdr.Set("Vary", "Accept-Encoding")
	data, etag := f.Data, `"`+id+"-"+name+`"`
	if f.Gzip != nil && acceptsGzip(r) {
		data, etag = f.Gzip, `"`+id+"-"+name+`.gz"`
		hdr.Set("Content-Encoding", "gzip")
	}
	hdr.Set("ETag", etag)
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(data))
}

// take waits for a turn to send a part file; false when the request ended
// or waited too long.
func (h *handler) take(ctx context.Context) bool {
	select {
	case h.parts <- struct{}{}:
		return true
	default:
	}
	t := time.NewTimer(partWait)
	defer t.Stop()
	select {
	case h.parts <- struct{}{}:
		return true
	case <-ctx.Done():
	case <-t.C:
	}
	return false
}

// acceptsGzip reports whether the request's Accept-Encoding allows gzip
// (RFC 9110 §12.5.3: listed without q=0, or "*" without q=0 and gzip not
// refused).
func acceptsGzip(r *http.Request) bool {
	star := false
	for _, v := range r.Header.Values("Accept-Encoding") {
		for _, item := range strings.Split(v, ",") {
			coding, params, _ := strings.Cut(strings.TrimSpace(item), ";")
			refused := false
			for _, p := range strings.Split(params, ";") {
				if k, val, ok := strings.Cut(strings.TrimSpace(p), "="); ok && strings.EqualFold(strings.TrimSpace(k), "q") {
					if q, err := strconv.ParseFloat(strings.TrimSpace(val), 64); err == nil && q == 0 {
						refused = true
					}
				}
			}
			switch c := strings.ToLower(strings.TrimSpace(coding)); {
			case c == "gzip" || c == "x-gzip":
				return !refused
			case c == "*":
				star = !refused
			}
		}
	}
	return star
}
