package globalconf_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/roadreg/roadreg/internal/globalconf"
)

// wire records what a client's requests cost on the wire.
type wire struct {
	h  http.Handler
	mu sync.Mutex
	// requests and bytes by path; statuses in order.
	requests map[string]int
	bytes    int
	statuses []int
	headers  []http.Header
}

type countingWriter struct {
	http.ResponseWriter
	n      int
	status int
}

func (w *countingWriter) WriteHeader(code int) { w.status = code; w.ResponseWriter.WriteHeader(code) }
func (w *countingWriter) Write(b []byte) (int, error) {
	n, err := w.ResponseWriter.Write(b)
	w.n += n
	return n, err
}

func (c *wire) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	cw := &countingWriter{ResponseWriter: w, status: http.StatusOK}
	c.h.ServeHTTP(cw, r)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.requests[r.URL.Path]++
	c.bytes += cw.n
	c.statuses = append(c.statuses, cw.status)
	c.headers = append(c.headers, r.Header.Clone())
}

func (c *wire) reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.requests, c.bytes, c.statuses, c.headers = map[string]int{}, 0, nil, nil
}

// The configuration client downloads only what changed, compressed: the
// unchanged directory is revalidated (304, nothing sent), a part whose hash
// is unchanged is not asked for, and a changed part comes gzip-compressed.
func TestDownloadIsConditionalAndCompressed(t *testing.T) {
	ctx := context.Background()
	pub := newPublisher(t)
	publishGen(t, pub, 1, time.Now())
	c := &wire{h: globalconf.NewHandler(pub, nil)}
	c.reset()
	srv := serve(t, c)
	anchor := anchorFor("DEV", testPKI(t).signing.cert, srv.URL+"/internalconf")

	s1, err := globalconf.Download(ctx, nil, anchor, nil, nil, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	plain := len(s1.Directory) + len(s1.SharedParamsRaw) + len(s1.PrivateParamsRaw)
	if c.bytes >= plain || len(c.requests) != 3 {
		t.Fatalf("first download: %d bytes on the wire for %d bytes of configuration, requests %v", c.bytes, plain, c.requests)
	}
	for _, h := range c.headers {
		if h.Get("Accept-Encoding") != "gzip" {
			t.Errorf("a request without Accept-Encoding: gzip: %v", h)
		}
	}

	// Nothing new: one request, answered 304 with no body.
	c.reset()
	s2, err := globalconf.Download(ctx, nil, anchor, s1, nil, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if len(c.statuses) != 1 || c.statuses[0] != http.StatusNotModified || c.bytes != 0 {
		t.Fatalf("revalidation: statuses %v, %d bytes", c.statuses, c.bytes)
	}
	if c.headers[0].Get("If-None-Match") != `"`+s1.DirectoryHash+`"` {
		t.Errorf("If-None-Match %q", c.headers[0].Get("If-None-Match"))
	}
	if s2.DirectoryHash != s1.DirectoryHash || s2.Shared != s1.Shared || s2 == s1 {
		t.Error("the revalidated snapshot is not a copy of the previous one")
	}
	if !s2.DownloadedAt.After(s1.DownloadedAt) && !s2.DownloadedAt.Equal(s1.DownloadedAt) {
		t.Error("DownloadedAt went back")
	}

	// A new version: the directory and the changed parts.
	publishGen(t, pub, 2, time.Now())
	c.reset()
	s3, err := globalconf.Download(ctx, nil, anchor, s2, nil, time.Now())
	if err != nil || s3.Shared.Members[1].Name != "gen-2" {
		t.Fatalf("new version: %v", err)
	}
	if len(c.statuses) != 3 {
		t.Errorf("new version: %d requests %v", len(c.statuses), c.requests)
	}

	// A revalidated directory that has expired meanwhile is refused as
	// expired, as a downloaded one is.
	if _, err := globalconf.Download(ctx, nil, anchor, s3, nil, time.Now().Add(time.Hour)); !errors.Is(err, globalconf.ErrExpired) {
		t.Errorf("304 for an expired directory: %v, want ErrExpired", err)
	}
}

// A part sent gzip-compressed is held to the part size limit once
// decompressed (a small compressed body must not become a huge one), and
// compressed garbage is refused.
func TestDownloadRefusesBadCompressedParts(t *testing.T) {
	var zeros bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&zeros, gzip.BestSpeed)
	_, _ = zw.Write(make([]byte, globalconf.MaxPartSize+1))
	_ = zw.Close()
	for _, tt := range []struct {
		name string
		body []byte
		want error
	}{
		{"decompresses beyond the limit", zeros.Bytes(), globalconf.ErrTooLarge},
		{"not gzip", []byte("plainly not gzip"), globalconf.ErrMalformed},
	} {
		t.Run(tt.name, func(t *testing.T) {
			pub := newPublisher(t)
			publishGen(t, pub, 1, time.Now())
			h := globalconf.NewHandler(pub, nil)
			srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if strings.HasSuffix(r.URL.Path, "shared-params.xml") {
					w.Header().Set("Content-Encoding", "gzip")
					_, _ = w.Write(tt.body)
					return
				}
				h.ServeHTTP(w, r)
			}))
			_, err := globalconf.Download(context.Background(), nil, anchorFor("DEV", testPKI(t).signing.cert, srv.URL+"/internalconf"), nil, nil, time.Now())
			if !errors.Is(err, tt.want) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
		})
	}
}
