package bench

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"

	"github.com/roadreg/roadreg/internal/globalconf"
)

// FanoutMode is how the simulated security servers of the fan-out
// benchmark download.
type FanoutMode struct {
	// Verify: each downloads, verifies (signature, hashes) and parses as
	// the product's configuration client does (globalconf.Download); else
	// it only fetches what that client fetches.
	Verify bool
	// Compact: gzip and If-None-Match, as the product's client asks; else
	// plain bodies and no revalidation (the client before both).
	Compact bool
}

func (m FanoutMode) String() string {
	s := "fetch only"
	if m.Verify {
		s = "verify + parse"
	}
	if m.Compact {
		return s + ", gzip + If-None-Match"
	}
	return s + ", plain"
}

// Fanout is a crowd of simulated security servers, each keeping the watch
// channel of the central server's replicas open (one connection at a time,
// as the product's watcher does) and, on every notice, downloading the
// configuration in the crowd's current mode. They share nothing but their
// mode and, when verifying, the parsed configuration of a version (held
// once: the crowd would not fit in memory otherwise).
type Fanout struct {
	anchors []*globalconf.Anchor // one per replica order
	mode    atomic.Pointer[FanoutMode]
	clients []*fanoutClient
	cancel  context.CancelFunc
	wg      sync.WaitGroup
	// snapshots holds one verified snapshot per directory hash.
	snapshots sync.Map
	// retried counts the downloads that failed or gave another version
	// than the announced one; lastErr is the latest reason.
	retried atomic.Int64
	lastErr atomic.Pointer[error]
}

// fanoutClient is one simulated security server.
type fanoutClient struct {
	f      *Fanout
	anchor *globalconf.Anchor
	hc     *http.Client
	read   atomic.Int64 // bytes received on its connections
	mu     sync.Mutex   // one download at a time
	// Fetch-only state: the directory hash held and the parts' hashes.
	dirHash string
	parts   map[string][]byte
	// prev is the verified configuration held.
	prev *globalconf.Snapshot
	// held is the directory hash it holds and since when.
	held atomic.Pointer[heldVersion]
}

type heldVersion struct {
	hash string
	at   time.Time
}

// countingConn counts the bytes read from a connection.
type countingConn struct {
	net.Conn
	n *atomic.Int64
}

func (c countingConn) Read(b []byte) (int, error) {
	k, err := c.Conn.Read(b)
	c.n.Add(int64(k))
	return k, err
}

// plainRequests removes what makes a download compact: the product's
// client in plain mode.
type plainRequests struct{ next http.RoundTripper }

func (p plainRequests) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Del("If-None-Match")
	r.Header.Del("Accept-Encoding")
	return p.next.RoundTrip(r)
}

// StartFanout connects n simulated security servers; client i watches and
// downloads from the replicas in the order of anchors[i % len(anchors)]
// (as security servers behind a load balancer spread over the replicas).
// Each takes the current version on connecting, for both the fetch-only
// and the verifying way, so that every later event downloads what changed.
func StartFanout(ctx context.Context, anchors []*globalconf.Anchor, n int, mode FanoutMode) (*Fanout, error) {
	ctx, cancel := context.WithCancel(ctx)
	f := &Fanout{anchors: anchors, cancel: cancel}
	f.mode.Store(&mode)
	ready := make(chan error, n)
	sem := make(chan struct{}, 100) // connections being opened at once
	for i := range n {
		c := &fanoutClient{f: f, anchor: anchors[i%len(anchors)], parts: map[string][]byte{}}
		dial := func(ctx context.Context, network, addr string) (net.Conn, error) {
			conn, err := (&net.Dialer{Timeout: 10 * time.Second}).DialContext(ctx, network, addr)
			if err != nil {
				return nil, err
			}
			return countingConn{Conn: conn, n: &c.read}, nil
		}
		tr := &http.Transport{DialContext: dial, MaxIdleConnsPerHost: 2, IdleConnTimeout: 90 * time.Second, DisableCompression: true}
		c.hc = &http.Client{Transport: tr, Timeout: 60 * time.Second}
		f.clients = append(f.clients, c)
		var urls []string
		for _, src := range c.anchor.Sources {
			u, err := globalconf.WatchURL(src.DownloadURL)
			if err != nil {
				cancel()
				return nil, err
			}
			urls = append(urls, u)
		}
		first := make(chan struct{})
		var once sync.Once
		w := &globalconf.Watcher{URLs: urls, Dialer: &websocket.Dialer{HandshakeTimeout: 10 * time.Second, NetDialContext: dial},
			OnNotify: func(n globalconf.Notification) {
				done := false
				once.Do(func() { ready <- c.sync(ctx); close(first); done = true })
				if !done {
					c.downloadRetrying(ctx, n.Hash)
				}
			}}
		sem <- struct{}{}
		f.wg.Add(1)
		go func() { defer f.wg.Done(); _ = w.Run(ctx) }()
		go func() {
			select {
			case <-first:
			case <-ctx.Done():
			}
			<-sem
		}()
	}
	for range n {
		if err := <-ready; err != nil {
			f.Close()
			return nil, fmt.Errorf("a simulated security server could not download the configuration: %w", err)
		}
	}
	return f, nil
}

// SetMode changes how the crowd downloads from the next notice on.
func (f *Fanout) SetMode(m FanoutMode) { f.mode.Store(&m) }

// Close disconnects the crowd.
func (f *Fanout) Close() {
	f.cancel()
	f.wg.Wait()
}

// ResetBytes starts counting the bytes received anew.
func (f *Fanout) ResetBytes() {
	for _, c := range f.clients {
		c.read.Store(0)
	}
}

// Bytes is what the crowd received since ResetBytes.
func (f *Fanout) Bytes() int64 {
	var sum int64
	for _, c := range f.clients {
		sum += c.read.Load()
	}
	return sum
}

// Retries returns how many downloads were retried since the last call,
// and the latest reason.
func (f *Fanout) Retries() (int64, error) {
	n := f.retried.Swap(0)
	if p := f.lastErr.Swap(nil); p != nil {
		return n, *p
	}
	return n, nil
}

// Holding returns, for every client that holds a version published after
// the one whose directory hash is prev, since when (the others are
// missing): the next version or a later one.
func (f *Fanout) Holding(prev string) []time.Time {
	var out []time.Time
	for _, c := range f.clients {
		if h := c.held.Load(); h != nil && h.hash != prev {
			out = append(out, h.at)
		}
	}
	return out
}

// sync takes the current version both ways: fetched, and verified (one
// client of the crowd verifies it, the others take its snapshot).
func (c *fanoutClient) sync(ctx context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	hash, err := c.fetch(ctx, true)
	if err != nil {
		return err
	}
	held, ok := c.f.snapshots.Load(hash)
	if !ok {
		snap, err := globalconf.Download(ctx, c.hc, c.anchor, nil, nil, time.Now())
		if err != nil {
			return err
		}
		held, _ = c.f.snapshots.LoadOrStore(snap.DirectoryHash, snap)
	}
	c.prev = c.own(held.(*globalconf.Snapshot))
	c.held.Store(&heldVersion{hash: hash, at: time.Now()})
	return nil
}

// own is the crowd's snapshot with this client's source (so that the
// client's next download goes where its own would).
func (c *fanoutClient) own(s *globalconf.Snapshot) *globalconf.Snapshot {
	mine := *s
	mine.SourceURL = c.anchor.Sources[0].DownloadURL
	return &mine
}

// Retries of a download that failed or did not give the announced
// version, as the product's security server makes them until it holds an
// announced version.
const (
	fanoutRetries    = 5
	fanoutRetryDelay = 100 * time.Millisecond
)

// downloadRetrying downloads in the crowd's mode until the client holds
// the announced directory hash: after a failure, or a download that gave
// another version, it tries again after 100 ms, 200 ms, … (counting the
// retries).
func (c *fanoutClient) downloadRetrying(ctx context.Context, announced string) {
	before := ""
	if h := c.held.Load(); h != nil {
		before = h.hash
	}
	for try := 0; ; try++ {
		err := c.downloadAs(ctx, *c.f.mode.Load())
		if ctx.Err() != nil {
			return
		}
		if err == nil {
			// The announced version, or a later one published meanwhile.
			if h := c.held.Load(); announced == "" || (h != nil && (h.hash == announced || h.hash != before)) {
				return
			}
			err = fmt.Errorf("downloaded another version than the announced %s", announced)
		}
		c.f.retried.Add(1)
		c.f.lastErr.Store(&err)
		if try == fanoutRetries {
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(fanoutRetryDelay << try):
		}
	}
}

// downloadAs downloads the current version in mode m and records when the
// client held it.
func (c *fanoutClient) downloadAs(ctx context.Context, m FanoutMode) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	var hash string
	if m.Verify {
		hc := c.hc
		if !m.Compact {
			hc = &http.Client{Transport: plainRequests{c.hc.Transport}, Timeout: c.hc.Timeout}
		}
		snap, err := globalconf.Download(ctx, hc, c.anchor, c.prev, nil, time.Now())
		if err != nil {
			return err
		}
		held, _ := c.f.snapshots.LoadOrStore(snap.DirectoryHash, snap)
		c.prev, hash = c.own(held.(*globalconf.Snapshot)), snap.DirectoryHash
	} else {
		var err error
		if hash, err = c.fetch(ctx, m.Compact); err != nil {
			return err
		}
	}
	c.held.Store(&heldVersion{hash: hash, at: time.Now()})
	return nil
}

// fetch gets the directory and the parts whose hash changed, as the
// product's client does, without verifying or parsing them, from the first
// replica that answers.
func (c *fanoutClient) fetch(ctx context.Context, compact bool) (string, error) {
	var last error
	for _, src := range c.anchor.Sources {
		hash, err := c.fetchFrom(ctx, src.DownloadURL, compact)
		if err == nil {
			return hash, nil
		}
		last = err
	}
	return "", last
}

func (c *fanoutClient) fetchFrom(ctx context.Context, source string, compact bool) (string, error) {
	base, err := url.Parse(source)
	if err != nil {
		return "", err
	}
	etag := ""
	if compact {
		etag = c.dirHash
	}
	body, status, err := c.get(ctx, source+"?version=6", etag, compact)
	if err != nil {
		return "", err
	}
	if status == http.StatusNotModified {
		return c.dirHash, nil
	}
	dir, err := globalconf.ParseDirectory(body)
	if err != nil {
		return "", err
	}
	for _, p := range dir.Parts {
		if bytes.Equal(c.parts[p.ContentIdentifier], p.Hash) {
			continue
		}
		loc, err := base.Parse(p.ContentLocation)
		if err != nil {
			return "", err
		}
		if _, _, err := c.get(ctx, loc.String(), "", compact); err != nil {
			return "", err
		}
		c.parts[p.ContentIdentifier] = p.Hash
	}
	c.dirHash = globalconf.DirectoryHash(body)
	return c.dirHash, nil
}

// get downloads u (decompressing a gzip body) and returns its body and
// status (200 or, with etag, 304).
func (c *fanoutClient) get(ctx context.Context, u, etag string, compact bool) ([]byte, int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, 0, err
	}
	if compact {
		req.Header.Set("Accept-Encoding", "gzip")
		if etag != "" {
			req.Header.Set("If-None-Match", `"`+etag+`"`)
		}
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusNotModified && etag != "" {
		return nil, resp.StatusCode, nil
	}
	if resp.StatusCode != http.StatusOK {
		return nil, resp.StatusCode, fmt.Errorf("%s: %s", u, resp.Status)
	}
	var r io.Reader = resp.Body
	if resp.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(resp.Body)
		if err != nil {
			return nil, 0, err
		}
		r = zr
	}
	body, err := io.ReadAll(r)
	return body, resp.StatusCode, err
}
