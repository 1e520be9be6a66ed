package globalconf

import (
	"crypto"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Publisher defaults.
const (
	DefaultKeepVersions = 3
	DefaultGracePeriod  = 10 * time.Minute
)

// versionDirName is the directory of a configuration version under the
// public directory, as X-Road lays it out (V6/internalconf, V6/<id>/…).
var versionDirName = "V" + fmt.Sprint(ConfigurationVersion)

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
}

// DirectoryHash identifies a signed directory: lower-case hex SHA-256 of its bytes.
func DirectoryHash(directory []byte) string {
	sum := sha256.Sum256(directory)
	return hex.EncodeToString(sum[:])
}

// Publisher writes configuration versions into a public directory in
// X-Road's layout: V6/<id>/<file> for the parts and V6/internalconf for the
// signed directory. A version's files are written to temporary names,
// fsynced and renamed, parts before the directory, so a reader (this
// package's Handler, nginx, a CDN) never sees a partial version. Old version
// directories are removed once more than Keep newer ones exist and they are
// older than Grace.
//
// Set Keep, Grace and Now before the first Publish.
type Publisher struct {
	dir string
	// Keep is how many version directories are always kept (default 3).
	Keep int
	// Grace is how long a replaced version stays downloadable, so a client
	// that fetched its directory can still fetch its parts (default 10 min).
	Grace time.Duration
	// Now is the clock (default time.Now).
	Now func() time.Time

	mu      sync.Mutex // serialises Publish
	lastID  string
	current atomic.Pointer[Publication]
}

// NewPublisher prepares dir (created if missing) and loads the version
// published there before, if any, so it keeps being served after a restart.
func NewPublisher(dir string) (*Publisher, error) {
	vdir := filepath.Join(dir, versionDirName)
	if err := os.MkdirAll(vdir, 0o755); err != nil {
		return nil, fmt.Errorf("creating the configuration directory: %w", err)
	}
	p := &Publisher{dir: dir, Keep: DefaultKeepVersions, Grace: DefaultGracePeriod, Now: time.Now}
	entries, err := os.ReadDir(vdir)
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".tmp-") { // left over from a crash
			_ = os.RemoveAll(filepath.Join(vdir, e.Name()))
		}
	}
	data, err := os.ReadFile(filepath.Join(vdir, "internalconf"))
	if errors.Is(err, os.ErrNotExist) {
		return p, nil
	}
	if err != nil {
		return nil, err
	}
	sd, err := ParseDirectory(data)
	if err != nil {
		return nil, fmt.Errorf("the published directory %s cannot be read: %w", filepath.Join(vdir, "internalconf"), err)
	}
	pub := &Publication{Directory: data, Hash: DirectoryHash(data), ExpireDate: sd.ExpireDate}
	if len(sd.Parts) > 0 {
		pub.ID = path.Base(path.Dir(sd.Parts[0].ContentLocation))
	}
	p.lastID = pub.ID
	p.current.Store(pub)
	return p, nil
}

// Dir is the public directory the publisher writes to.
func (p *Publisher) Dir() string { return p.dir }

// Current returns the latest publication, or nil before the first.
func (p *Publisher) Current() *Publication { return p.current.Load() }

// Has reports whether the parts of version id are still published: old
// versions are removed once Keep newer ones exist and Grace has passed.
func (p *Publisher) Has(id string) bool {
	if !versionIDPattern.MatchString(id) {
		return false
	}
	fi, err := os.Stat(filepath.Join(p.dir, versionDirName, id))
	return err == nil && fi.IsDir()
}

// PartPath is the path a part file of version id is served at.
func PartPath(id, fileName string) string {
	return PathParts + id + "/" + fileName
}

// Publish signs d and writes it as a new version. d.Version must be 0 or 6
// (0 is taken as 6). Each part's file name is its ContentFileName or, for
// shared and private parameters, shared-params.xml / private-params.xml; its
// ContentLocation is set to /V6/<id>/<file name>. On error nothing new is
// served and the previous version stays current.
func (p *Publisher) Publish(d Directory, signer crypto.Signer, cert *x509.Certificate) (*Publication, error) {
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
	names := make(map[string]bool)
	for i, part := range d.Parts {
		name, err := partFileName(part)
		if err != nil {
			return nil, err
		}
		if names[name] {
			return nil, fmt.Errorf("two parts use the file name %s", name)
		}
		names[name] = true
		part.ContentLocation = PartPath(id, name)
		parts[i] = part
	}
	d.Parts = parts
	signed, err := SignDirectory(d, signer, cert)
	if err != nil {
		return nil, err
	}

	vdir := filepath.Join(p.dir, versionDirName)
	if err := writeVersionDir(vdir, id, parts); err != nil {
		return nil, err
	}
	if err := writeFileAtomic(vdir, "internalconf", signed); err != nil {
		_ = os.RemoveAll(filepath.Join(vdir, id))
		return nil, err
	}
	pub := &Publication{ID: id, Directory: signed, Hash: DirectoryHash(signed), ExpireDate: d.ExpireDate}
	p.lastID = id
	p.current.Store(pub)
	p.removeOldVersions(vdir, id)
	return pub, nil
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

// nextID returns a version id after the last one, from the clock.
func (p *Publisher) nextID() string {
	t := p.Now().UTC()
	for {
		id := t.Format("20060102150405") + fmt.Sprintf("%09d", t.Nanosecond())
		if id > p.lastID {
			return id
		}
		t = t.Add(time.Nanosecond)
	}
}

// writeVersionDir writes the parts into a temporary directory, fsyncs them and
// renames the directory to vdir/id.
func writeVersionDir(vdir, id string, parts []Part) (err error) {
	tmp, err := os.MkdirTemp(vdir, ".tmp-"+id+"-")
	if err != nil {
		return fmt.Errorf("writing configuration version %s: %w", id, err)
	}
	defer func() {
		if err != nil {
			_ = os.RemoveAll(tmp)
		}
	}()
	if err := os.Chmod(tmp, 0o755); err != nil {
		return err
	}
	for _, part := range parts {
		if err := writeFileSync(filepath.Join(tmp, path.Base(part.ContentLocation)), part.Data); err != nil {
			return fmt.Errorf("writing configuration version %s: %w", id, err)
		}
	}
	if err := syncDir(tmp); err != nil {
		return err
	}
	if err := os.Rename(tmp, filepath.Join(vdir, id)); err != nil {
		return fmt.Errorf("writing configuration version %s: %w", id, err)
	}
	return syncDir(vdir)
}

// writeFileAtomic replaces dir/name with data via a fsynced temporary file.
func writeFileAtomic(dir, name string, data []byte) error {
	f, err := os.CreateTemp(dir, ".tmp-"+name+"-")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_ = f.Close()
	if err := writeFileSync(tmp, data); err != nil {
		_ = os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, filepath.Join(dir, name)); err != nil {
		_ = os.Remove(tmp)
		return err
	}
	return syncDir(dir)
}

func writeFileSync(name string, data []byte) error {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		_ = f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		_ = f.Close()
		return err
	}
	return f.Close()
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, os.ErrInvalid) {
		return err
	}
	return nil
}

// removeOldVersions deletes version directories beyond the newest Keep that
// were replaced (the next version was published) more than Grace ago.
// Failures are ignored: the next publish retries.
func (p *Publisher) removeOldVersions(vdir, current string) {
	entries, err := os.ReadDir(vdir)
	if err != nil {
		return
	}
	var ids []string
	for _, e := range entries {
		if e.IsDir() && versionIDPattern.MatchString(e.Name()) {
			ids = append(ids, e.Name())
		}
	}
	sort.Strings(ids)
	cutoff := p.Now().Add(-p.Grace)
	for k := 0; k < len(ids)-max(p.Keep, 1); k++ {
		replacedAt, ok := versionTime(ids[k+1])
		if ids[k] == current || !ok || replacedAt.After(cutoff) {
			continue
		}
		_ = os.RemoveAll(filepath.Join(vdir, ids[k]))
	}
}

// versionTime is the publication time encoded in a version id.
func versionTime(id string) (time.Time, bool) {
	if len(id) < 14 {
		return time.Time{}, false
	}
	t, err := time.Parse("20060102150405", id[:14])
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
