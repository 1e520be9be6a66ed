package globalconf_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/roadreg/roadreg/internal/globalconf"
)

// rawGet sends a request the way a client without Go's transparent
// decompression does and returns the response with its body as sent.
func rawGet(t *testing.T, h http.Handler, path string, hdr ...string) (*http.Response, []byte) {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Result(), rec.Body.Bytes()
}

// Part files go gzip-compressed to clients that ask for it, compressed
// once per version, and as they are to every other client (X-Road's
// configuration client sends no Accept-Encoding).
func TestPartsAreCompressedForClientsThatAsk(t *testing.T) {
	pub := newPublisher(t)
	pb := publishGen(t, pub, 1, time.Now())
	h := globalconf.NewHandler(pub, nil)
	path := "/V6/" + pb.ID + "/shared-params.xml"
	plain := pb.File("shared-params.xml").Data

	resp, body := rawGet(t, h, path)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Encoding") != "" || !bytes.Equal(body, plain) {
		t.Fatalf("without Accept-Encoding: %s, Content-Encoding %q, %d bytes (want the %d plain bytes)",
			resp.Status, resp.Header.Get("Content-Encoding"), len(body), len(plain))
	}
	plainTag := resp.Header.Get("ETag")

	for _, ae := range []string{"gzip", "gzip, deflate, br", "br;q=1.0, gzip;q=0.5", "*", "x-gzip"} {
		resp, body = rawGet(t, h, path, "Accept-Encoding", ae)
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Encoding") != "gzip" || resp.Header.Get("Vary") != "Accept-Encoding" {
			t.Fatalf("Accept-Encoding %q: %s, Content-Encoding %q, Vary %q", ae, resp.Status, resp.Header.Get("Content-Encoding"), resp.Header.Get("Vary"))
		}
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(zr)
		if err != nil || !bytes.Equal(got, plain) {
			t.Fatalf("Accept-Encoding %q: the compressed part does not decompress to the part (%v)", ae, err)
		}
		if len(body) >= len(plain)/2 {
			t.Errorf("compressed %d of %d bytes", len(body), len(plain))
		}
		if tag := resp.Header.Get("ETag"); tag == plainTag || tag == "" {
			t.Errorf("the compressed part's ETag %q is the plain part's", tag)
		}
		// Revalidating the compressed representation.
		if resp, _ := rawGet(t, h, path, "Accept-Encoding", ae, "If-None-Match", resp.Header.Get("ETag")); resp.StatusCode != http.StatusNotModified {
			t.Errorf("If-None-Match of the compressed part: %s", resp.Status)
		}
	}
	for _, ae := range []string{"gzip;q=0", "identity", "deflate", "*;q=0", "br, *;q=0"} {
		resp, body = rawGet(t, h, path, "Accept-Encoding", ae)
		if resp.Header.Get("Content-Encoding") != "" || !bytes.Equal(body, plain) {
			t.Errorf("Accept-Encoding %q: Content-Encoding %q", ae, resp.Header.Get("Content-Encoding"))
		}
	}
	// The compressed bytes are the same object for every request: made once.
	if a, b := pb.File("shared-params.xml").Gzip, pb.File("shared-params.xml").Gzip; len(a) == 0 || &a[0] != &b[0] {
		t.Error("the part was not compressed when it was served")
	}
	// The directory (small, and signed as it is) is never compressed.
	if resp, body := rawGet(t, h, "/internalconf", "Accept-Encoding", "gzip"); resp.Header.Get("Content-Encoding") != "" || !bytes.Equal(body, pb.Directory) {
		t.Errorf("directory: Content-Encoding %q", resp.Header.Get("Content-Encoding"))
	}
}

// blockingWriter holds the handler inside its first Write until released.
type blockingWriter struct {
	*httptest.ResponseRecorder
	writing chan struct{}
	release chan struct{}
	once    sync.Once
}

func (w *blockingWriter) Write(b []byte) (int, error) {
	w.once.Do(func() { close(w.writing); <-w.release })
	return w.ResponseRecorder.Write(b)
}

// With every turn taken, a further part download waits until one is
// free, and gives up (503, Retry-After) when its client does.
func TestPartDownloadsWaitTheirTurn(t *testing.T) {
	pub := newPublisher(t)
	pb := publishGen(t, pub, 1, time.Now())
	h := globalconf.NewHandler(pub, nil, globalconf.WithPartLimit(1))
	path := "/V6/" + pb.ID + "/private-params.xml"

	first := &blockingWriter{ResponseRecorder: httptest.NewRecorder(), writing: make(chan struct{}), release: make(chan struct{})}
	firstDone := make(chan struct{})
	go func() { h.ServeHTTP(first, httptest.NewRequest(http.MethodGet, path, nil)); close(firstDone) }()
	<-first.writing

	// A client that stops waiting is told to come back.
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil).WithContext(ctx))
	if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") == "" {
		t.Fatalf("while the only turn is taken: %d, Retry-After %q", rec.Code, rec.Header().Get("Retry-After"))
	}
	// One that waits gets the part once the turn is free.
	second := httptest.NewRecorder()
	secondDone := make(chan struct{})
	go func() { h.ServeHTTP(second, httptest.NewRequest(http.MethodGet, path, nil)); close(secondDone) }()
	select {
	case <-secondDone:
		t.Fatal("the second download did not wait for the first")
	case <-time.After(100 * time.Millisecond):
	}
	close(first.release)
	<-firstDone
	<-secondDone
	if second.Code != http.StatusOK || !bytes.Equal(second.Body.Bytes(), pb.File("private-params.xml").Data) {
		t.Fatalf("the waiting download: %d", second.Code)
	}
	// The directory never waits.
	if resp, _ := rawGet(t, h, "/internalconf"); resp.StatusCode != http.StatusOK {
		t.Errorf("directory: %s", resp.Status)
	}
}
