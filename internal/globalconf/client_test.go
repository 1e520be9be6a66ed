package globalconf_test

import (
	"bytes"
	"context"
	"crypto"
	"crypto/sha256"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/roadreg/roadreg/internal/globalconf"
	"github.com/roadreg/roadreg/internal/testenv"
	"github.com/roadreg/roadreg/internal/xroad"
)

// fileServer serves files from a map like X-Road's nginx: /internalconf
// (with ?version=6) is V6/internalconf, everything else by path. A nil file
// is an endless body.
type fileServer struct {
	mu    sync.Mutex
	files map[string][]byte
	hits  map[string]int
}

func (s *fileServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p := strings.TrimPrefix(r.URL.Path, "/")
	if p == "internalconf" {
		if r.URL.Query().Get("version") != "6" {
			http.NotFound(w, r)
			return
		}
		p = "V6/internalconf"
	}
	s.mu.Lock()
	b, ok := s.files[p]
	s.hits[p]++
	s.mu.Unlock()
	switch {
	case !ok:
		http.NotFound(w, r)
	case b == nil: // an endless body, without Content-Length
		chunk := make([]byte, 64<<10)
		for {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	default:
		_, _ = w.Write(b)
	}
}

// sampleFiles returns the sample globalconf tree, with mutate applied.
func sampleFiles(t *testing.T, mutate func(map[string][]byte)) *fileServer {
	t.Helper()
	files := map[string][]byte{}
	for _, f := range []string{"V6/internalconf", "V6/20251110170000548026000/shared-params.xml", "V6/20251110170000548026000/private-params.xml"} {
		files[f] = testenv.ReadSample(t, "globalconf/"+f)
	}
	if mutate != nil {
		mutate(files)
	}
	return &fileServer{files: files, hits: map[string]int{}}
}

func serve(t *testing.T, h http.Handler) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// deadURL is an http URL on which nothing listens.
func deadURL(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return "http://" + addr + "/internalconf"
}

func anchorFor(instance string, cert *x509.Certificate, urls ...string) *globalconf.Anchor {
	a := &globalconf.Anchor{Instance: instance}
	for _, u := range urls {
		a.Sources = append(a.Sources, globalconf.AnchorSource{DownloadURL: u, VerificationCerts: []*x509.Certificate{cert}})
	}
	return a
}

// fingerprint summarises everything in a snapshot, parsed values included.
func fingerprint(t *testing.T, s *globalconf.Snapshot) string {
	t.Helper()
	shared, err := globalconf.MarshalSharedParameters(s.Shared)
	if err != nil {
		t.Fatal(err)
	}
	private, err := globalconf.MarshalPrivateParameters(s.Private)
	if err != nil {
		t.Fatal(err)
	}
	h := sha256.New()
	for _, b := range [][]byte{s.Directory, s.SharedParamsRaw, s.PrivateParamsRaw, shared, private} {
		fmt.Fprintf(h, "%d:%x|", len(b), sha256.Sum256(b))
	}
	fmt.Fprintf(h, "%s|%d|%v|%s|%v|%s", s.Instance, s.Version, s.ExpireDate, s.DirectoryHash, s.DownloadedAt, s.SourceURL)
	return fmt.Sprintf("%x", h.Sum(nil))
}

var sampleNow = time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)

func TestDownloadSamples(t *testing.T) {
	cert := sampleAnchor(t).VerificationCerts()[0]
	fs := sampleFiles(t, nil)
	srv := serve(t, fs)
	good := srv.URL + "/internalconf"
	dead := deadURL(t)

	snap, err := globalconf.Download(context.Background(), nil, anchorFor("DEV", cert, dead, good), nil, nil, sampleNow)
	if err != nil {
		t.Fatal(err)
	}
	if snap.Instance != "DEV" || snap.Version != 6 || snap.SourceURL != good || !snap.DownloadedAt.Equal(sampleNow) ||
		snap.Expired(sampleNow) || !snap.Expired(time.Date(2036, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("snapshot %v", snap)
	}
	if !bytes.Equal(snap.SharedParamsRaw, fs.files["V6/20251110170000548026000/shared-params.xml"]) || snap.Shared.ApprovedTSAs[0].Name != "Test TSA" {
		t.Error("shared parameters not the sample's")
	}
	if snap.Private.ManagementService.AuthCertRegServiceAddress != "https://cs:4001/managementservice/" {
		t.Errorf("private parameters: %+v", snap.Private.ManagementService)
	}

	// With prev, its source is tried first and unchanged parts are not fetched again.
	fs.hits = map[string]int{}
	again, err := globalconf.Download(context.Background(), nil, anchorFor("DEV", cert, dead, good), snap, nil, sampleNow)
	if err != nil {
		t.Fatal(err)
	}
	if fs.hits["V6/20251110170000548026000/shared-params.xml"] != 0 || fs.hits["V6/internalconf"] != 1 || again.Shared != snap.Shared {
		t.Errorf("unchanged parts fetched again: %v", fs.hits)
	}

	// The stored bytes re-load.
	re, err := globalconf.SnapshotFromBytes(snap.Directory, snap.SharedParamsRaw, snap.PrivateParamsRaw, snap.SourceURL, snap.DownloadedAt)
	if err != nil {
		t.Fatal(err)
	}
	if fingerprint(t, re) != fingerprint(t, snap) {
		t.Error("SnapshotFromBytes differs from the downloaded snapshot")
	}
}

// Stored parts that do not match their directory are refused, for
// Roadreg's own configuration and for X-Road's.
func TestSnapshotFromBytesRejects(t *testing.T) {
	type stored struct {
		dir, shared, private []byte
		now                  time.Time
	}
	for name, load := range map[string]func(t *testing.T) stored{
		"Roadreg's own": func(t *testing.T) stored {
			s := ownSnapshot(t)
			return stored{s.Directory, s.SharedParamsRaw, s.PrivateParamsRaw, time.Now()}
		},
		"X-Road's sample": func(t *testing.T) stored {
			return stored{testenv.ReadSample(t, "globalconf/V6/internalconf"), testenv.ReadSample(t, sampleVersionDir+"shared-params.xml"),
				testenv.ReadSample(t, sampleVersionDir+"private-params.xml"), sampleNow}
		},
	} {
		t.Run(name, func(t *testing.T) {
			s := load(t)
			changed := bytes.Clone(s.shared)
			changed[100] ^= 1
			for _, tt := range []struct {
				name            string
				shared, private []byte
			}{{"changed byte", changed, s.private}, {"swapped", s.private, s.shared}} {
				_, err := globalconf.SnapshotFromBytes(s.dir, tt.shared, tt.private, "", s.now)
				if !errors.Is(err, globalconf.ErrHashMismatch) {
					t.Errorf("%s: %v, want hash mismatch", tt.name, err)
				}
			}
		})
	}
}

// ownServer publishes the realistic configuration (member name and
// timestamping interval tagged with gen) with the EC signing key.
func publishGen(t testing.TB, pub *globalconf.Publisher, gen int, now time.Time) *globalconf.Publication {
	t.Helper()
	sp := realisticShared(t)
	sp.Members[1].Name = fmt.Sprintf("gen-%d", gen)
	pp := realisticPrivate(t)
	pp.TimeStampingIntervalSeconds = 60 + gen
	shared, err := globalconf.MarshalSharedParameters(sp)
	if err != nil {
		t.Fatal(err)
	}
	private, err := globalconf.MarshalPrivateParameters(pp)
	if err != nil {
		t.Fatal(err)
	}
	p := testPKI(t)
	pb, err := pub.Publish(globalconf.Directory{
		ExpireDate: now.Add(10 * time.Minute),
		Parts: []globalconf.Part{
			{ContentIdentifier: globalconf.ContentSharedParameters, Instance: "DEV", Data: shared},
			{ContentIdentifier: globalconf.ContentPrivateParameters, Instance: "DEV", Data: private},
		},
	}, p.signing.signer, p.signing.cert)
	if err != nil {
		t.Fatal(err)
	}
	return pb
}

func newPublisher(t testing.TB) *globalconf.Publisher {
	t.Helper()
	return globalconf.NewPublisher()
}

// ownSnapshot downloads a configuration of instance DEV from a Roadreg publisher.
func ownSnapshot(t *testing.T) *globalconf.Snapshot {
	t.Helper()
	pub := newPublisher(t)
	publishGen(t, pub, 1, time.Now())
	srv := serve(t, globalconf.NewHandler(pub, nil))
	snap, err := globalconf.Download(context.Background(), srv.Client(), anchorFor("DEV", testPKI(t).signing.cert, srv.URL+"/internalconf"), nil, nil, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return snap
}

// ownFiles serves Roadreg's own parameters under the sample's file names,
// for the cases that sign their own directory over them.
func ownFiles(t *testing.T, mutate func(map[string][]byte)) *fileServer {
	t.Helper()
	shared, private := realisticFiles(t)
	files := map[string][]byte{sampleDirPrefix + "shared-params.xml": shared, sampleDirPrefix + "private-params.xml": private}
	mutate(files)
	return &fileServer{files: files, hits: map[string]int{}}
}

// sampleDirPrefix is where the sample tree keeps its parameters.
const sampleDirPrefix = "V6/20251110170000548026000/"

// Every failure has its reason, and prev is never touched. The cases with
// Roadreg's own signing certificate sign a directory over Roadreg's own
// parameters and need no X-Road files; the others change X-Road's sample.
func TestDownloadFailures(t *testing.T) {
	var sampleCert *x509.Certificate // nil: the sample anchor's, looked up in the case
	p := testPKI(t)
	const part = "V6/20251110170000548026000/shared-params.xml"
	setDir := func(f func([]byte) []byte) func(map[string][]byte) {
		return func(m map[string][]byte) { m["V6/internalconf"] = f(bytes.Clone(m["V6/internalconf"])) }
	}
	// ownDirectory serves a Roadreg-signed directory over the given parts.
	ownDirectory := func(parts ...globalconf.Part) func(map[string][]byte) {
		return func(m map[string][]byte) {
			for i := range parts {
				parts[i].ContentLocation = "/own/" + strings.ToLower(parts[i].ContentIdentifier)
				parts[i].Data = m["V6/20251110170000548026000/"+map[string]string{globalconf.ContentSharedParameters: "shared-params.xml", globalconf.ContentPrivateParameters: "private-params.xml"}[parts[i].ContentIdentifier]]
				m[strings.TrimPrefix(parts[i].ContentLocation, "/")] = parts[i].Data
			}
			b, err := globalconf.SignDirectory(globalconf.Directory{ExpireDate: sampleNow.Add(time.Hour), Version: 6, Parts: parts}, p.signing.signer, p.signing.cert)
			if err != nil {
				t.Fatal(err)
			}
			m["V6/internalconf"] = b
		}
	}
	tests := []struct {
		name   string
		mutate func(map[string][]byte)
		cert   *x509.Certificate
		now    time.Time
		dead   bool // add an unreachable first source
		code   string
		reason error
		msg    string
	}{
		{"one byte of a part changed", func(m map[string][]byte) { m[part][500] ^= 0x20 }, sampleCert, sampleNow, true, xroad.CodeGlobalConfVerification, globalconf.ErrHashMismatch, "Failed to verify content integrity"},
		{"signature changed", setDir(func(b []byte) []byte { return bytes.Replace(b, []byte("ZpgGUY2o"), []byte("ZpgGUY3o"), 1) }), sampleCert, sampleNow, false, xroad.CodeGlobalConfVerification, globalconf.ErrBadSignature, "Failed to verify signature"},
		{"expired", nil, sampleCert, time.Date(2035, 11, 12, 0, 0, 0, 0, time.UTC), false, xroad.CodeGlobalConfOutdated, globalconf.ErrExpired, "Configuration instance DEV expired on 2035-11-11T03:07:40Z"},
		{"unknown verification cert", nil, p.rotated.cert, sampleNow, false, xroad.CodeGlobalConfVerification, globalconf.ErrUnknownVerificationCert, "Could not find verification certificate for certificate hash pc2fwlS1"},
		{"malformed multipart", setDir(func(b []byte) []byte { return b[:700] }), sampleCert, sampleNow, false, xroad.CodeGlobalConfVerification, globalconf.ErrMalformed, "malformed"},
		{"missing signature part", setDir(func(b []byte) []byte {
			i := bytes.LastIndex(b, []byte("\r\n--lmyAPTb9i7P4fQ7MmpnZ\r\n"))
			return append(b[:i], []byte("\r\n--lmyAPTb9i7P4fQ7MmpnZ--\r\n")...)
		}), sampleCert, sampleNow, false, xroad.CodeGlobalConfVerification, globalconf.ErrMalformed, "signature part is missing"},
		// The signature is checked before the entries are read.
		{"hash algorithm changed after signing", setDir(func(b []byte) []byte {
			return bytes.Replace(b, []byte("Hash-algorithm-id: http://www.w3.org/2001/04/xmlenc#sha512"), []byte("Hash-algorithm-id: urn:example:crc32"), 1)
		}), sampleCert, sampleNow, false, xroad.CodeGlobalConfVerification, globalconf.ErrBadSignature, "Failed to verify signature"},
		{"oversized part", func(m map[string][]byte) { m[part] = nil }, sampleCert, sampleNow, false, xroad.CodeGlobalConfVerification, globalconf.ErrTooLarge, "too large"},
		{"private parameters missing", ownDirectory(globalconf.Part{ContentIdentifier: globalconf.ContentSharedParameters, Instance: "DEV"}), p.signing.cert, sampleNow, false, xroad.CodeGlobalConfVerification, globalconf.ErrMissingPart, "lists no PRIVATE-PARAMETERS"},
		{"directory of another instance", ownDirectory(globalconf.Part{ContentIdentifier: globalconf.ContentPrivateParameters, Instance: "EE"}), p.signing.cert, sampleNow, false, xroad.CodeGlobalConfVerification, globalconf.ErrWrongInstance, `instance "EE"`},
		{"part of another instance", ownDirectory(
			globalconf.Part{ContentIdentifier: globalconf.ContentPrivateParameters, Instance: "DEV"},
			globalconf.Part{ContentIdentifier: globalconf.ContentSharedParameters, Instance: "DEV"},
		), p.signing.cert, sampleNow, false, "", nil, ""}, // control: the own directory itself downloads
		{"version not served", func(m map[string][]byte) { delete(m, "V6/internalconf") }, sampleCert, sampleNow, false, xroad.CodeGlobalConfDownload, globalconf.ErrUnreachable, "Failed to download configuration from any configuration location"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := sampleFiles
			if tt.cert == p.signing.cert {
				files = ownFiles
			} else if tt.cert == nil {
				tt.cert = sampleAnchor(t).VerificationCerts()[0]
			}
			prev := ownSnapshot(t)
			before := fingerprint(t, prev)
			srv := serve(t, files(t, tt.mutate))
			urls := []string{srv.URL + "/internalconf"}
			if tt.dead {
				urls = append([]string{deadURL(t)}, urls...)
			}
			snap, err := globalconf.Download(context.Background(), srv.Client(), anchorFor("DEV", tt.cert, urls...), prev, nil, tt.now)
			if tt.reason == nil {
				if err != nil {
					t.Fatalf("control case failed: %v", err)
				}
				return
			}
			if snap != nil {
				t.Error("a snapshot was returned with the error")
			}
			checkErr(t, err, tt.code, tt.reason, tt.msg)
			if fingerprint(t, prev) != before {
				t.Error("prev was modified")
			}
		})
	}
}

func TestDownloadAllSourcesUnreachable(t *testing.T) {
	a, b := deadURL(t), deadURL(t)
	_, err := globalconf.Download(context.Background(), nil, anchorFor("DEV", testPKI(t).signing.cert, a, b), nil, nil, time.Now())
	checkErr(t, err, xroad.CodeGlobalConfDownload, globalconf.ErrUnreachable, "Failed to download configuration from any configuration location")
	if !strings.Contains(err.Error(), a) || !strings.Contains(err.Error(), b) {
		t.Errorf("the message does not name both locations: %v", err)
	}
	// Cancelled context.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := globalconf.Download(ctx, nil, anchorFor("DEV", testPKI(t).signing.cert, a), nil, nil, time.Now()); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

// The signing key rotates: a directory signed with the key the previous
// shared parameters list as source certificate verifies without a new anchor.
func TestDownloadTrustsRotatedSourceCert(t *testing.T) {
	p := testPKI(t)
	prev := ownSnapshot(t) // its shared parameters list p.rotated as internal verification cert
	pub := newPublisher(t)
	sp, pp := realisticFiles(t)
	if _, err := pub.Publish(globalconf.Directory{ExpireDate: time.Now().Add(time.Hour), Parts: []globalconf.Part{
		{ContentIdentifier: globalconf.ContentSharedParameters, Instance: "DEV", Data: sp},
		{ContentIdentifier: globalconf.ContentPrivateParameters, Instance: "DEV", Data: pp},
	}}, p.rotated.signer, p.rotated.cert); err != nil {
		t.Fatal(err)
	}
	srv := serve(t, globalconf.NewHandler(pub, nil))
	anchor := anchorFor("DEV", p.signing.cert, srv.URL+"/internalconf") // the anchor only knows the old key
	if _, err := globalconf.Download(context.Background(), nil, anchor, nil, nil, time.Now()); !errors.Is(err, globalconf.ErrUnknownVerificationCert) {
		t.Errorf("without prev: %v, want unknown verification cert", err)
	}
	if _, err := globalconf.Download(context.Background(), nil, anchor, prev, nil, time.Now()); err != nil {
		t.Errorf("with prev listing the rotated key: %v", err)
	}
	if _, err := globalconf.Download(context.Background(), nil, anchor, nil, []*x509.Certificate{p.rotated.cert}, time.Now()); err != nil {
		t.Errorf("with the rotated key as extra trusted cert: %v", err)
	}
}

func TestPublisherHandlerDownload(t *testing.T) {
	pub := newPublisher(t)
	var partHits atomic.Int32
	h := globalconf.NewHandler(pub, nil)
	srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "private-params.xml") {
			partHits.Add(1)
		}
		h.ServeHTTP(w, r)
	}))
	anchor := anchorFor("DEV", testPKI(t).signing.cert, srv.URL+"/internalconf")

	if _, err := globalconf.Download(context.Background(), nil, anchor, nil, nil, time.Now()); !errors.Is(err, globalconf.ErrUnreachable) {
		t.Errorf("before the first publication: %v, want unreachable (503)", err)
	}
	pb1 := publishGen(t, pub, 1, time.Now())
	s1, err := globalconf.Download(context.Background(), nil, anchor, nil, nil, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if s1.DirectoryHash != pb1.Hash || s1.Shared.Members[1].Name != "gen-1" || s1.Private.TimeStampingIntervalSeconds != 61 {
		t.Errorf("snapshot 1: hash %s vs %s, %q, %d", s1.DirectoryHash, pb1.Hash, s1.Shared.Members[1].Name, s1.Private.TimeStampingIntervalSeconds)
	}
	// Version 2 changes both parts; download with prev fetches both again.
	publishGen(t, pub, 2, time.Now())
	s2, err := globalconf.Download(context.Background(), nil, anchor, s1, nil, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if s2.Shared.Members[1].Name != "gen-2" || s2.Private.TimeStampingIntervalSeconds != 62 || partHits.Load() != 2 {
		t.Errorf("snapshot 2: %q, %d, private fetched %d times", s2.Shared.Members[1].Name, s2.Private.TimeStampingIntervalSeconds, partHits.Load())
	}
	if s1.Shared.Members[1].Name != "gen-1" {
		t.Error("prev changed")
	}
	// Another replica serves the same bytes from what was stored.
	cur := pub.Current()
	stored := map[string][]byte{}
	for _, f := range cur.Files {
		id := globalconf.ContentPrivateParameters
		if f.Name == "shared-params.xml" {
			id = globalconf.ContentSharedParameters
		}
		stored[id] = f.Data
	}
	rebuilt, err := globalconf.NewPublication(cur.Directory, stored)
	if err != nil {
		t.Fatal(err)
	}
	replica := globalconf.NewPublisher()
	replica.Serve(rebuilt)
	other := serve(t, globalconf.NewHandler(replica, nil))
	s3, err := globalconf.Download(context.Background(), nil, anchorFor("DEV", testPKI(t).signing.cert, other.URL+"/internalconf"), nil, nil, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if s3.DirectoryHash != s2.DirectoryHash || !bytes.Equal(s3.SharedParamsRaw, s2.SharedParamsRaw) || rebuilt.ID != cur.ID {
		t.Errorf("the replica serves %s (id %s), want %s (id %s)", s3.DirectoryHash, rebuilt.ID, s2.DirectoryHash, cur.ID)
	}
	stored[globalconf.ContentSharedParameters] = append([]byte(nil), stored[globalconf.ContentPrivateParameters]...)
	if _, err := globalconf.NewPublication(cur.Directory, stored); !errors.Is(err, globalconf.ErrHashMismatch) {
		t.Errorf("a stored part that does not match its hash: %v", err)
	}
}

func TestHandlerHTTP(t *testing.T) {
	pub := newPublisher(t)
	pb := publishGen(t, pub, 1, time.Now())
	srv := serve(t, globalconf.NewHandler(pub, nil))
	part := "/V6/" + pb.ID + "/shared-params.xml"

	get := func(method, path string, hdr ...string) (*http.Response, string) {
		t.Helper()
		req, _ := http.NewRequest(method, srv.URL+path, nil)
		for i := 0; i+1 < len(hdr); i += 2 {
			req.Header.Set(hdr[i], hdr[i+1])
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}

	resp, body := get("GET", "/internalconf")
	etag := resp.Header.Get("ETag")
	if resp.StatusCode != 200 || body != string(pb.Directory) || etag != `"`+pb.Hash+`"` || resp.Header.Get("Cache-Control") != "no-cache" {
		t.Fatalf("GET /internalconf: %d, ETag %s, Cache-Control %q", resp.StatusCode, etag, resp.Header.Get("Cache-Control"))
	}
	partResp, partBody := get("GET", part)
	partTag := partResp.Header.Get("ETag")
	if partResp.StatusCode != 200 || !strings.Contains(partBody, "gen-1") || partTag == "" || !strings.HasPrefix(partResp.Header.Get("Cache-Control"), "public, max-age=") {
		t.Fatalf("GET part: %d, ETag %q, Cache-Control %q", partResp.StatusCode, partTag, partResp.Header.Get("Cache-Control"))
	}

	tests := []struct {
		name, method, path string
		hdr                []string
		status             int
		bodyHas            string
	}{
		{"version 6", "GET", "/internalconf?version=6", nil, 200, "multipart/related"},
		{"V6 path", "GET", "/V6/internalconf", nil, 200, "multipart/related"},
		{"HEAD", "HEAD", "/internalconf", nil, 200, ""},
		{"If-None-Match directory", "GET", "/internalconf", []string{"If-None-Match", etag}, 304, ""},
		{"If-None-Match part", "GET", part, []string{"If-None-Match", partTag}, 304, ""},
		{"stale ETag", "GET", "/internalconf", []string{"If-None-Match", `"old"`}, 200, "multipart/related"},
		{"version 5", "GET", "/internalconf?version=5", nil, 404, "generates version 6"},
		{"version junk", "GET", "/internalconf?version=x", nil, 404, "not served"},
		{"no listing V6", "GET", "/V6/", nil, 404, ""},
		{"no listing version", "GET", "/V6/" + pb.ID + "/", nil, 404, ""},
		{"traversal", "GET", "/V6/" + pb.ID + "/..%2f..%2finternalconf", nil, 404, ""},
		{"dot file", "GET", "/V6/" + pb.ID + "/.hidden", nil, 404, ""},
		{"unknown part", "GET", "/V6/" + pb.ID + "/nope.xml", nil, 404, ""},
		{"other path", "GET", "/etc/passwd", nil, 404, ""},
		{"watch without hub", "GET", "/internalconf/watch", nil, 404, ""},
		{"POST", "POST", "/internalconf", nil, 405, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := get(tt.method, tt.path, tt.hdr...)
			if resp.StatusCode != tt.status || !strings.Contains(body, tt.bodyHas) {
				t.Errorf("%s %s: %d %q, want %d containing %q", tt.method, tt.path, resp.StatusCode, body, tt.status, tt.bodyHas)
			}
		})
	}
}

// Readers running while new versions are published always see a complete,
// verified version: directory, shared and private parameters of the same
// generation.
func TestPublisherTornWrites(t *testing.T) {
	pub := newPublisher(t)
	publishGen(t, pub, 1, time.Now())
	srv := serve(t, globalconf.NewHandler(pub, nil))
	anchor := anchorFor("DEV", testPKI(t).signing.cert, srv.URL+"/internalconf")

	checkGen := func(s *globalconf.SharedParameters, p *globalconf.PrivateParameters) error {
		if want := fmt.Sprintf("gen-%d", p.TimeStampingIntervalSeconds-60); s.Members[1].Name != want {
			return fmt.Errorf("shared parameters are %s, private parameters gen-%d", s.Members[1].Name, p.TimeStampingIntervalSeconds-60)
		}
		return nil
	}
	var stop atomic.Bool
	var reads atomic.Int32
	errs := make(chan error, 4)
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var prev *globalconf.Snapshot
			for !stop.Load() {
				s, err := globalconf.Download(context.Background(), nil, anchor, prev, nil, time.Now())
				if err == nil {
					err = checkGen(s.Shared, s.Private)
				}
				if err != nil {
					errs <- fmt.Errorf("HTTP reader: %w", err)
					return
				}
				prev = s
				reads.Add(1)
			}
		}()
	}
	for gen := 2; gen <= 12; gen++ {
		publishGen(t, pub, gen, time.Now())
	}
	stop.Store(true)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if reads.Load() == 0 {
		t.Error("no reads happened")
	}
}

func TestPublisherCleanup(t *testing.T) {
	for _, tt := range []struct {
		name  string
		grace time.Duration
		want  int
	}{{"no grace", 0, 2}, {"within grace", time.Hour, 5}} {
		t.Run(tt.name, func(t *testing.T) {
			pub := newPublisher(t)
			clock := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
			pub.Keep, pub.Grace = 2, tt.grace
			pub.Now = func() time.Time { clock = clock.Add(time.Minute); return clock }
			var ids []string
			for gen := 1; gen <= 5; gen++ {
				ids = append(ids, publishGen(t, pub, gen, clock).ID)
			}
			srv := serve(t, globalconf.NewHandler(pub, nil))
			served := 0
			for i, id := range ids {
				resp, err := http.Get(srv.URL + "/V6/" + id + "/shared-params.xml")
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				if resp.StatusCode == http.StatusOK {
					served++
				} else if i >= len(ids)-tt.want {
					t.Errorf("version %d: %s", i+1, resp.Status)
				}
				if has := pub.Has(id); has != (resp.StatusCode == http.StatusOK) {
					t.Errorf("version %d: Has = %v, served: %s", i+1, has, resp.Status)
				}
			}
			if pub.Has("../" + ids[len(ids)-1]) {
				t.Error("Has accepts an id that is no version id")
			}
			if served != tt.want {
				t.Errorf("%d versions served, want %d", served, tt.want)
			}
		})
	}
}

type failingSigner struct{ crypto.Signer }

func (failingSigner) Sign(io.Reader, []byte, crypto.SignerOpts) ([]byte, error) {
	return nil, errors.New("token logged out")
}

func TestPublishFailureKeepsLastVersion(t *testing.T) {
	pub := newPublisher(t)
	pb := publishGen(t, pub, 1, time.Now())
	p := testPKI(t)
	_, err := pub.Publish(globalconf.Directory{ExpireDate: time.Now().Add(time.Hour), Parts: []globalconf.Part{
		{ContentIdentifier: globalconf.ContentSharedParameters, Instance: "DEV", Data: []byte("x")},
	}}, failingSigner{p.signing.signer}, p.signing.cert)
	if err == nil || !strings.Contains(err.Error(), "token logged out") {
		t.Fatalf("err = %v", err)
	}
	if pub.Current() != pb {
		t.Error("the current publication changed")
	}
	if _, err := pub.Publish(globalconf.Directory{Version: 5}, p.signing.signer, p.signing.cert); err == nil {
		t.Error("publishing version 5 succeeded")
	}
}
