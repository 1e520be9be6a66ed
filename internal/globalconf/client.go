package globalconf

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/x509"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/roadreg/roadreg/internal/xroad"
)

// MaxPartSize is the largest part file (e.g. shared parameters) downloaded.
const MaxPartSize = MaxXMLSize

// Download timeouts (X-Road's configuration client defaults).
const (
	DefaultConnectTimeout = 10 * time.Second
	DefaultReadTimeout    = 30 * time.Second
)

// Snapshot is a downloaded and verified configuration version. It is never
// modified after Download or SnapshotFromBytes returns it; callers must not
// modify it either.
type Snapshot struct {
	Instance   string
	Version    int
	ExpireDate time.Time
	// Directory is the signed directory as downloaded; DirectoryHash its
	// DirectoryHash (compare with the watch channel's hash).
	Directory        []byte
	DirectoryHash    string
	SharedParamsRaw  []byte
	PrivateParamsRaw []byte
	Shared           *SharedParameters
	Private          *PrivateParameters
	DownloadedAt     time.Time
	// SourceURL is the anchor download URL the directory came from.
	SourceURL string
	// replaced are the hashes of the directories this snapshot's
	// predecessors had (oldest first, at most maxReplaced): a directory
	// among them is a replayed or stale copy and is refused.
	replaced []string
}

// maxReplaced bounds the directory hashes a snapshot remembers.
const maxReplaced = 64

// Expired reports whether the snapshot's Expire-date has passed at now.
func (s *Snapshot) Expired(now time.Time) bool { return !now.Before(s.ExpireDate) }

// NewHTTPClient returns an HTTP client with the given connect (TCP and TLS
// handshake) and read (response header and body) timeouts, using the
// environment's proxy settings.
func NewHTTPClient(connect, read time.Duration) *http.Client {
	return &http.Client{
		Transport: &http.Transport{
			Proxy:                 http.ProxyFromEnvironment,
			DialContext:           (&net.Dialer{Timeout: connect, KeepAlive: 30 * time.Second}).DialContext,
			TLSHandshakeTimeout:   connect,
			ResponseHeaderTimeout: read,
			MaxIdleConnsPerHost:   2,
			IdleConnTimeout:       90 * time.Second,
		},
		// Whole request, body included; headers alone are bounded above.
		Timeout: connect + read,
	}
}

var defaultClient = sync.OnceValue(func() *http.Client { return NewHTTPClient(DefaultConnectTimeout, DefaultReadTimeout) })

// Download fetches and verifies the configuration of anchor, as X-Road's
// configuration client does (GCONF_23–26). It tries the anchor's sources in
// order, the one prev came from first: GET <downloadURL>?version=6, parse and
// verify the directory with the anchor's certificates, the internal
// verification certificates of prev's shared parameters (signing-key
// rotation) and extraTrusted, then fetch the shared and private parameters of
// the anchor's instance (reusing prev's bytes when the hash is unchanged),
// verify their hashes and instance and parse them. A directory that prev
// or one of its predecessors replaced (as far as this process saw them) is
// refused as replayed.
//
// httpClient nil means NewHTTPClient(DefaultConnectTimeout, DefaultReadTimeout).
// Download never modifies prev; on error the caller keeps it. Errors carry a
// reason (ErrUnreachable, ErrExpired, ErrUnknownVerificationCert,
// ErrBadSignature, ErrHashMismatch, ErrWrongInstance, ErrMissingPart,
// ErrReplayed, …);
// when a source answered, its content error wins over unreachable ones.
func Download(ctx context.Context, httpClient *http.Client, anchor *Anchor, prev *Snapshot, extraTrusted []*x509.Certificate, now time.Time) (*Snapshot, error) {
	if anchor == nil || len(anchor.Sources) == 0 {
		return nil, xroad.Errorf(xroad.CodeAnchorNotFound, "No configuration anchor with a source is configured; upload the anchor exported from the central server")
	}
	if httpClient == nil {
		httpClient = defaultClient()
	}
	if prev != nil && prev.Instance != anchor.Instance {
		prev = nil // another instance's files are of no use
	}
	trusted := appendUniqueCerts(nil, anchor.VerificationCerts()...)
	if prev != nil && prev.Shared != nil {
		trusted = appendUniqueCerts(trusted, prev.Shared.SourceVerificationCerts()...)
	}
	trusted = appendUniqueCerts(trusted, extraTrusted...)

	var contentErr error
	var unreachable []string
	var causes []error
	for _, src := range orderSources(anchor, prev) {
		snap, err := downloadFrom(ctx, httpClient, src, anchor.Instance, prev, trusted, now)
		if err == nil {
			return snap, nil
		}
		if ctx.Err() != nil {
			return nil, fail(xroad.CodeGlobalConfDownload, ErrUnreachable, ctx.Err(), "Downloading configuration was cancelled")
		}
		if errors.Is(err, ErrUnreachable) {
			unreachable = append(unreachable, src)
			causes = append(causes, err)
			continue
		}
		if contentErr == nil {
			contentErr = err
		}
	}
	if contentErr != nil {
		return nil, contentErr
	}
	return nil, fail(xroad.CodeGlobalConfDownload, ErrUnreachable, errors.Join(causes...),
		"Failed to download configuration from any configuration location (%s); check that the central server is reachable",
		strings.Join(unreachable, ", "))
}

// orderSources lists the anchor's download URLs, prev's source first.
func orderSources(anchor *Anchor, prev *Snapshot) []string {
	var out []string
	if prev != nil {
		for _, s := range anchor.Sources {
			if s.DownloadURL == prev.SourceURL {
				out = append(out, s.DownloadURL)
			}
		}
	}
	for _, s := range anchor.Sources {
		if prev == nil || s.DownloadURL != prev.SourceURL {
			out = append(out, s.DownloadURL)
		}
	}
	return out
}

func downloadFrom(ctx context.Context, hc *http.Client, source, instance string, prev *Snapshot, trusted []*x509.Certificate, now time.Time) (*Snapshot, error) {
	base, err := url.Parse(source)
	if err != nil || (base.Scheme != "http" && base.Scheme != "https") {
		return nil, fail(xroad.CodeGlobalConfDownload, ErrUnreachable, err, "The anchor's download URL %q is not an http(s) URL", source)
	}
	dirURL := *base
	q := dirURL.Query()
	q.Set("version", strconv.Itoa(ConfigurationVersion))
	dirURL.RawQuery = q.Encode()

	// The directory prev holds may still be the current one (replicas
	// serve the same bytes, so its hash is the ETag on every one of them):
	// then it is verified again (signature, expiry) and nothing is
	// downloaded.
	etag := ""
	if prev != nil && prev.Shared != nil && prev.Private != nil {
		etag = prev.DirectoryHash
	}
	body, same, err := fetch(ctx, hc, dirURL.String(), MaxDirectorySize, etag)
	if err != nil {
		return nil, err
	}
	if same {
		if _, err := VerifyDirectory(prev.Directory, instance, trusted, now); err != nil {
			return nil, err
		}
		snap := *prev
		snap.DownloadedAt, snap.SourceURL = now, source
		return &snap, nil
	}
	dir, err := VerifyDirectory(body, instance, trusted, now)
	if err != nil {
		return nil, err
	}
	if dir.Version != 0 && dir.Version != ConfigurationVersion {
		return nil, malformed(nil, "%s answered with configuration version %d instead of %d", source, dir.Version, ConfigurationVersion)
	}
	snap := &Snapshot{
		Instance: instance, Version: ConfigurationVersion, ExpireDate: dir.ExpireDate,
		Directory: body, DirectoryHash: DirectoryHash(body), DownloadedAt: now, SourceURL: source,
	}
	if prev != nil {
		if slices.Contains(prev.replaced, snap.DirectoryHash) {
			return nil, fail(xroad.CodeGlobalConfVerification, ErrReplayed, nil,
				"The configuration at %s is a version this server has already replaced by a newer one (a replayed or stale copy, expiring %s); the newer configuration stays in use",
				source, dir.ExpireDate.UTC().Format(time.RFC3339))
		}
		snap.replaced = prev.replaced
		if prev.DirectoryHash != snap.DirectoryHash {
			snap.replaced = append(slices.Clip(prev.replaced[max(0, len(prev.replaced)-maxReplaced+1):]), prev.DirectoryHash)
		}
	}
	if dir.Instance() != instance {
		return nil, fail(xroad.CodeGlobalConfVerification, ErrWrongInstance, nil,
			"The configuration at %s belongs to instance %q, but the anchor is for instance %q", source, dir.Instance(), instance)
	}
	get := func(id string, old []byte, oldParsed any) ([]byte, any, error) {
		p, ok := dir.Part(id, instance)
		if !ok {
			return nil, nil, fail(xroad.CodeGlobalConfVerification, ErrMissingPart, nil,
				"The configuration directory at %s lists no %s for instance %s", source, id, instance)
		}
		if old != nil && oldParsed != nil && hashMatches(p, old) {
			return old, oldParsed, nil // unchanged since prev, which was verified
		}
		loc, err := base.Parse(p.ContentLocation)
		if err != nil || (loc.Scheme != "http" && loc.Scheme != "https") {
			return nil, nil, malformed(err, "Content-location %q of %s is not an http(s) URL", p.ContentLocation, id)
		}
		data, _, err := fetch(ctx, hc, loc.String(), MaxPartSize, "")
		if err != nil {
			return nil, nil, err
		}
		parsed, err := verifyPart(p, data)
		return data, parsed, err
	}
	var oldShared, oldPrivate []byte
	var oldSharedParsed, oldPrivateParsed any
	if prev != nil {
		oldShared, oldPrivate = prev.SharedParamsRaw, prev.PrivateParamsRaw
		if prev.Shared != nil {
			oldSharedParsed = prev.Shared
		}
		if prev.Private != nil {
			oldPrivateParsed = prev.Private
		}
	}
	raw, parsed, err := get(ContentPrivateParameters, oldPrivate, oldPrivateParsed)
	if err != nil {
		return nil, err
	}
	snap.PrivateParamsRaw, snap.Private = raw, parsed.(*PrivateParameters)
	if raw, parsed, err = get(ContentSharedParameters, oldShared, oldSharedParsed); err != nil {
		return nil, err
	}
	snap.SharedParamsRaw, snap.Shared = raw, parsed.(*SharedParameters)
	return snap, nil
}

// fetch GETs u and returns its body, at most limit bytes; with etag set it
// asks If-None-Match and reports notModified on 304. It asks for gzip and
// decompresses what comes compressed (the limit applies to the
// decompressed bytes). Transport failures and other answers than 200 (and
// 304) are ErrUnreachable; a larger body is ErrTooLarge.
func fetch(ctx context.Context, hc *http.Client, u string, limit int, etag string) (body []byte, notModified bool, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, false, fail(xroad.CodeGlobalConfDownload, ErrUnreachable, err, "Bad configuration URL %s", u)
	}
	req.Header.Set("Accept-Encoding", "gzip")
	if etag != "" {
		req.Header.Set("If-None-Match", `"`+etag+`"`)
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, false, fail(xroad.CodeGlobalConfDownload, ErrUnreachable, err, "Could not download %s", u)
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusNotModified && etag != "" {
		return nil, true, nil
	}
	if resp.StatusCode != http.StatusOK {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4096))
		return nil, false, fail(xroad.CodeGlobalConfDownload, ErrUnreachable, nil, "Downloading %s failed: HTTP %s", u, resp.Status)
	}
	if resp.ContentLength > int64(limit) {
		return nil, false, fail(xroad.CodeGlobalConfVerification, ErrTooLarge, nil, "%s is too large (%d bytes, at most %d are accepted)", u, resp.ContentLength, limit)
	}
	data, err := readAtMost(resp.Body, resp.ContentLength, limit)
	if err != nil {
		return nil, false, fail(xroad.CodeGlobalConfDownload, ErrUnreachable, err, "Downloading %s was interrupted", u)
	}
	if len(data) > limit {
		return nil, false, fail(xroad.CodeGlobalConfVerification, ErrTooLarge, nil, "%s is too large (more than %d bytes)", u, limit)
	}
	if !strings.EqualFold(resp.Header.Get("Content-Encoding"), "gzip") {
		return data, false, nil
	}
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, false, malformed(err, "%s was sent gzip-compressed but is not gzip", u)
	}
	// The gzip trailer's last four bytes are the size (mod 2^32): room for
	// it at once instead of a doubling buffer.
	size := int64(-1)
	if len(data) >= 4 {
		size = int64(binary.LittleEndian.Uint32(data[len(data)-4:]))
	}
	plain, err := readAtMost(zr, size, limit)
	if err != nil {
		return nil, false, malformed(err, "%s was sent gzip-compressed but does not decompress", u)
	}
	if len(plain) > limit {
		return nil, false, fail(xroad.CodeGlobalConfVerification, ErrTooLarge, nil, "%s is too large (more than %d bytes decompressed)", u, limit)
	}
	return plain, false, nil
}

// readAtMost reads r up to limit+1 bytes into a buffer sized for size
// (when known and within the limit).
func readAtMost(r io.Reader, size int64, limit int) ([]byte, error) {
	var buf bytes.Buffer
	if size > 0 && size <= int64(limit) {
		// Room for the announced body and the read that finds its end,
		// instead of doubling (and clearing) a growing buffer.
		buf.Grow(int(size) + bytes.MinRead)
	}
	_, err := io.Copy(&buf, io.LimitReader(r, int64(limit)+1))
	return buf.Bytes(), err
}

// SnapshotFromBytes rebuilds a snapshot from stored bytes (the security
// server keeps the raw files in its database). It re-parses everything and
// re-verifies both parts' hashes and instance against the directory; the
// directory signature is not checked again (it was at download, and the
// signing key may have rotated since). An expired snapshot loads fine:
// check Expired.
func SnapshotFromBytes(directory, sharedParams, privateParams []byte, sourceURL string, downloadedAt time.Time) (*Snapshot, error) {
	dir, err := ParseDirectory(directory)
	if err != nil {
		return nil, err
	}
	instance := dir.Instance()
	snap := &Snapshot{
		Instance: instance, Version: dir.Version, ExpireDate: dir.ExpireDate,
		Directory: directory, DirectoryHash: DirectoryHash(directory),
		SharedParamsRaw: sharedParams, PrivateParamsRaw: privateParams,
		DownloadedAt: downloadedAt, SourceURL: sourceURL,
	}
	for _, p := range []struct {
		id   string
		data []byte
	}{{ContentPrivateParameters, privateParams}, {ContentSharedParameters, sharedParams}} {
		part, ok := dir.Part(p.id, instance)
		if !ok {
			return nil, fail(xroad.CodeGlobalConfVerification, ErrMissingPart, nil, "The stored configuration directory lists no %s for instance %s", p.id, instance)
		}
		parsed, err := verifyPart(part, p.data)
		if err != nil {
			return nil, err
		}
		switch v := parsed.(type) {
		case *SharedParameters:
			snap.Shared = v
		case *PrivateParameters:
			snap.Private = v
		}
	}
	if snap.Version == 0 {
		snap.Version = ConfigurationVersion
	}
	return snap, nil
}

// String describes the snapshot for logs.
func (s *Snapshot) String() string {
	return fmt.Sprintf("configuration of instance %s (hash %.12s…, expires %s, from %s)", s.Instance, s.DirectoryHash, s.ExpireDate.UTC().Format(time.RFC3339), s.SourceURL)
}
