package globalconf

import (
	"bytes"
	"compress/gzip"
	"crypto"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"fmt"
	"path"
	"regexp"
	"sync"
	"sync/atomic"
	"time"
)

// Publisher defaults.
const (
	DefaultKeepVersions = 3
	DefaultGracePeriod  = 10 * time.Minute
)

var (
	versionIDPattern = regexp.MustCompile(`^[0-9]{1,40}$`)
	fileNamePattern  = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$`)
)

// Publication is a published configuration version.
type Publication struct {
	// ID names the version's directory (UTC time yyyyMMddHHmmss + 9 digits
	// of nanoseconds, as X-Road names it).
	ID string
	// Directory is the signed directory served at /internalconf.
	Directory []byte
	// Hash is DirectoryHash(Directory); the ETag and the watch-channel hash.
	Hash       string
	ExpireDate time.Time
	// Files are the parts, served at /V6/<ID>/<Name>.
	Files []*File
}

// File is one part of a publication as it is served: its bytes and, once
// the publication is served, the same bytes gzip-compressed (compressed
// once, for every client that asks for gzip).
type File struct {
	Name string
	Data []byte
	Gzip []byte
}

// File returns the part called name.
func (p *Publication) File(name string) *File {
	for _, f := range p.Files {
		if f.Name == name {
			return f
		}
	}
	return nil
}

// DirectoryHash identifies a signed directory: lower-case hex SHA-256 of its bytes.
func DirectoryHash(directory []byte) string {
	sum := sha256.Sum256(directory)
	return hex.EncodeToString(sum[:])
}

// Publisher signs configuration versions and serves them (with the
// Handler) from memory: the current one, and those it replaced while a
// client that fetched their directory may still fetch their parts. A
// version becomes current whole — directory and parts at once — so a reader
// never sees a partial version. Several replicas serve the same bytes: the
// one that signs stores the publication, the others Serve what it stored
// (NewPublication).
//
// Set Keep, Grace and Now before the first Publish or Serve.
type Publisher struct {
	// Keep is how many versions, the current one included, stay
	// downloadable whatever their age (default 3).
	Keep int
	// Grace is how long after it was replaced an older version stays
	// downloadable (default 10 min).
	Grace time.Duration
	// Now is the clock (default time.Now).
	Now func() time.Time

	mu       sync.Mutex // serialises Sign and Serve
	lastID   string
	current  atomic.Pointer[Publication]
	replaced atomic.Pointer[[]replacedPub] // newest first
}

type replacedPub struct {
	pub *Publication
	at  time.Time
}

// NewPublisher returns a publisher with nothing published yet.
func NewPublisher() *Publisher {
	return &Publisher{Keep: DefaultKeepVersions, Grace: DefaultGracePeriod, Now: time.Now}
}

// Current returns the latest publication, or nil before the first.
func (p *Publisher) Current() *Publication { return p.current.Load() }

// Has reports whether the parts of version id are still served: older
// versions are dropped once Keep newer ones exist and Grace has passed.
func (p *Publisher) Has(id string) bool {
	return versionIDPattern.MatchString(id) && p.version(id) != nil
}

// PartPath is the path a part file of version id is served at.
func PartPath(id, fileName string) string {
	return PathParts + id + "/" + fileName
}

// Publish signs d as a new version and serves it (Sign, then Serve).
func (p *Publisher) Publish(d Directory, signer crypto.Signer, cert *x509.Certificate) (*Publication, error) {
	pub, err := p.Sign(d, signer, cert)
	if err != nil {
		return nil, err
	}
	p.Serve(pub)
	return pub, nil
}

// Sign signs d as a new version without serving it. d.Version must be 0 or
// 6 (0 is taken as 6). Each part's file name is its ContentFileName or, for
// shared and private parameters, shared-params.xml / private-params.xml; its
// ContentLocation is set to /V6/<id>/<file name>, the id coming after every
// version this publisher signed or served.
func (p *Publisher) Sign(d Directory, signer crypto.Signer, cert *x509.Certificate) (*Publication, error) {
	p.mu.Lock()
	defer p.mu.Unlock()

	switch d.Version {
	case 0:
		d.Version = ConfigurationVersion
	case ConfigurationVersion:
	default:
		return nil, fmt.Errorf("the publisher writes configuration version %d, not %d", ConfigurationVersion, d.Version)
	}
	id := p.nextID()
	parts := make([]Part, len(d.Parts))
	files := make([]*File, len(d.Parts))
	for i, part := range d.Parts {
		name, err := partFileName(part)
		if err != nil {
			return nil, err
		}
		for _, f := range files[:i] {
			if f.Name == name {
				return nil, fmt.Errorf("two parts use the file name %s", name)
			}
		}
		part.ContentLocation = PartPath(id, name)
		parts[i], files[i] = part, &File{Name: name, Data: part.Data}
	}
	d.Parts = parts
	signed, err := SignDirectory(d, signer, cert)
	if err != nil {
		return nil, err
	}
	p.lastID = id // never hand out this id again, served or not
	return &Publication{ID: id, Directory: signed, Hash: DirectoryHash(signed), ExpireDate: d.ExpireDate, Files: files}, nil
}

// NewPublication rebuilds a publication from what was stored of it: the
// signed directory and the parts' data by content identifier. The
// directory's signature is not checked (the stored bytes are the ones that
// were signed); each part must be listed with its hash.
func NewPublication(directory []byte, parts map[string][]byte) (*Publication, error) {
	sd, err := ParseDirectory(directory)
	if err != nil {
		return nil, err
	}
	pub := &Publication{Directory: directory, Hash: DirectoryHash(directory), ExpireDate: sd.ExpireDate}
	for i := range sd.Parts {
		dp := &sd.Parts[i]
		data, ok := parts[dp.ContentIdentifier]
		if !ok {
			return nil, fmt.Errorf("the stored version has no data for %s", dp.ContentIdentifier)
		}
		if err := VerifyPart(dp, data); err != nil {
			return nil, err
		}
		dir, name := path.Split(dp.ContentLocation)
		id := path.Base(dir)
		if pub.ID == "" {
			pub.ID = id
		}
		if id != pub.ID || !versionIDPattern.MatchString(id) || !fileNamePattern.MatchString(name) ||
			dp.ContentLocation != PartPath(id, name) {
			return nil, fmt.Errorf("the stored directory's Content-location %q is not one this publisher writes", dp.ContentLocation)
		}
		pub.Files = append(pub.Files, &File{Name: name, Data: data})
	}
	return pub, nil
}

// Serve makes pub the current version unless a later one is served
// already (then it does nothing). It compresses pub's parts once, and keeps
// the version it replaces downloadable for Keep versions and Grace.
func (p *Publisher) Serve(pub *Publication) {
	p.mu.Lock()
	defer p.mu.Unlock()
	cur := p.current.Load()
	if cur != nil && pub.ID <= cur.ID {
		return
	}
	for _, f := range pub.Files {
		if f.Gzip == nil {
			f.Gzip = compress(f.Data)
		}
	}
	now := p.Now()
	var candidates, kept []replacedPub
	if cur != nil {
		candidates = append(candidates, replacedPub{pub: cur, at: now})
	}
	if old := p.replaced.Load(); old != nil {
		candidates = append(candidates, *old...)
	}
	for i, r := range candidates {
		if i+1 < max(p.Keep, 1) || now.Sub(r.at) < p.Grace {
			kept = append(kept, r)
		}
	}
	p.replaced.Store(&kept)
	p.current.Store(pub)
	p.lastID = max(p.lastID, pub.ID)
}

// version returns the served publication with the given id.
func (p *Publisher) version(id string) *Publication {
	if cur := p.current.Load(); cur != nil && cur.ID == id {
		return cur
	}
	if old := p.replaced.Load(); old != nil {
		for _, r := range *old {
			if r.pub.ID == id {
				return r.pub
			}
		}
	}
	return nil
}

func compress(data []byte) []byte {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	_, _ = zw.Write(data)
	_ = zw.Close()
	return buf.Bytes()
}

func partFileName(part Part) (string, error) {
	name := part.ContentFileName
	if name == "" {
		switch part.ContentIdentifier {
		case ContentSharedParameters:
			name = "shared-params.xml"
		case ContentPrivateParameters:
			name = "private-params.xml"
		default:
			return "", fmt.Errorf("part %s needs a ContentFileName", part.ContentIdentifier)
		}
	}
	if !fileNamePattern.MatchString(name) {
		return "", fmt.Errorf("part file name %q may contain only letters, digits, '.', '_' and '-'", name)
	}
	return name, nil
}

// nextID returns a version id after the last one, from the clock (or
// right after the last one when the clock is behind it, as another
// replica's clock may be).
func (p *Publisher) nextID() string {
	t := p.Now().UTC()
	if last, ok := versionTime(p.lastID); ok && !t.After(last) {
		t = last.Add(time.Nanosecond)
	}
	return t.Format("20060102150405") + fmt.Sprintf("%09d", t.Nanosecond())
}

// versionTime is the publication time encoded in a version id.
func versionTime(id string) (time.Time, bool) {
	if len(id) < 14 {
		return time.Time{}, false
	}
	t, err := time.ParseInLocation("20060102150405", id[:14], time.UTC)
	if err != nil {
		return time.Time{}, false
	}
	if ns := id[14:]; len(ns) == 9 {
		var n int
		if _, err := fmt.Sscanf(ns, "%d", &n); err == nil {
			t = t.Add(time.Duration(n))
		}
	}
	return t, true
}
