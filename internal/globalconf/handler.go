package globalconf

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
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

// NewHandler serves what p publishes, as X-Road's central server does:
//
//	GET /internalconf[?version=6]  the signed directory (other versions: 404)
//	GET /V6/internalconf           the same
//	GET /V6/<id>/<file>            a part file, at its Content-location
//	GET /internalconf/watch        the push channel (hub; 404 when hub is nil)
//
// Responses carry an ETag and honour If-None-Match. The directory is sent
// with Cache-Control: no-cache (it changes with every version); part files
// never change and are cacheable until the current directory expires.
// Directories are never listed and paths outside these shapes are 404.
func NewHandler(p *Publisher, hub *Hub) http.Handler {
	return &handler{pub: p, hub: hub}
}

type handler struct {
	pub *Publisher
	hub *Hub
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
	file := filepath.Join(h.pub.Dir(), versionDirName, id, name)
	fi, err := os.Lstat(file)
	if err != nil || !fi.Mode().IsRegular() {
		http.NotFound(w, r)
		return
	}
	f, err := os.Open(file)
	if errors.Is(err, os.ErrNotExist) {
		http.NotFound(w, r)
		return
	}
	if err != nil {
		http.Error(w, "The file cannot be read.", http.StatusInternalServerError)
		return
	}
	defer f.Close()
	maxAge := 0
	if cur := h.pub.Current(); cur != nil {
		maxAge = max(int(cur.ExpireDate.Sub(h.pub.Now()).Seconds()), 0)
	}
	ct := "application/octet-stream"
	if strings.HasSuffix(name, ".xml") {
		ct = "text/xml; charset=UTF-8"
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("ETag", `"`+id+"-"+name+`"`)
	w.Header().Set("Cache-Control", fmt.Sprintf("public, max-age=%d, immutable", maxAge))
	http.ServeContent(w, r, "", time.Time{}, f)
}
