package testca

import (
	"encoding/json"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/crypto/ocsp"

	"github.com/roadreg/roadreg/internal/xroad"
)

// Statuses of an issued certificate in the index.
const (
	StatusGood    = "good"
	StatusRevoked = "revoked"
)

// Entry is one issued certificate in the CA's index.
type Entry struct {
	Serial    string     `json:"serial"` // lowercase hex
	Profile   string     `json:"profile"`
	Subject   string     `json:"subject"` // RFC 4514
	NotBefore time.Time  `json:"notBefore"`
	NotAfter  time.Time  `json:"notAfter"`
	SHA256    string     `json:"sha256"` // of the certificate DER, lowercase hex
	Status    string     `json:"status"` // StatusGood or StatusRevoked
	RevokedAt *time.Time `json:"revokedAt,omitempty"`
	Reason    int        `json:"reason,omitempty"` // RFC 5280 CRLReason, when revoked
}

// SerialNumber is the entry's serial as a number.
func (e Entry) SerialNumber() *big.Int {
	n, _ := new(big.Int).SetString(e.Serial, 16)
	return n
}

type indexFile struct {
	Certificates []Entry `json:"certificates"`
}

// Certificates lists every certificate the CA issued, oldest first.
func (ca *CA) Certificates() ([]Entry, error) {
	ca.mu.Lock()
	defer ca.mu.Unlock()
	if err := ca.refresh(); err != nil {
		return nil, err
	}
	return append([]Entry(nil), ca.index...), nil
}

// Status returns the index entry of the certificate with the given serial; it
// fails with NOT_FOUND when the CA did not issue it.
func (ca *CA) Status(serial *big.Int) (Entry, error) {
	ca.mu.Lock()
	defer ca.mu.Unlock()
	if err := ca.refresh(); err != nil {
		return Entry{}, err
	}
	if i := ca.find(serial); i >= 0 {
		return ca.index[i], nil
	}
	return Entry{}, notIssued(serial)
}

// Revoke marks the certificate with the given serial revoked now, with an RFC
// 5280 reason code (0 unspecified … 10; 6 certificateHold reads as
// "suspended" in X-Road). It fails with NOT_FOUND for a serial the CA did not
// issue and with CONFLICT for a certificate already revoked.
func (ca *CA) Revoke(serial *big.Int, reason int) error {
	if reason < ocsp.Unspecified || reason > ocsp.AACompromise || reason == 7 {
		return xroad.BadInput("reason", "Revocation reason %d is not an RFC 5280 reason code (0–10, except 7)", reason)
	}
	return ca.update(func(index []Entry) ([]Entry, error) {
		i := indexOf(index, serial)
		if i < 0 {
			return nil, notIssued(serial)
		}
		if e := index[i]; e.Status == StatusRevoked {
			return nil, xroad.Errorf(xroad.CodeConflict, "The certificate with serial %s (%s) was already revoked at %s",
				e.Serial, e.Subject, e.RevokedAt.Format(time.RFC3339))
		}
		now := time.Now().UTC().Truncate(time.Second)
		index[i].Status, index[i].RevokedAt, index[i].Reason = StatusRevoked, &now, reason
		return index, nil
	})
}

// FindSerial resolves a serial number as people type it (hexadecimal as
// openssl prints it, with or without colons or 0x, or decimal) to the serial
// of a certificate this CA issued. It fails with NOT_FOUND when none matches
// and with BAD_USER_INPUT when the text is ambiguous or no number.
func (ca *CA) FindSerial(s string) (*big.Int, error) {
	s = strings.TrimSpace(s)
	var candidates []*big.Int
	hexText := strings.ReplaceAll(strings.TrimPrefix(strings.TrimPrefix(s, "0x"), "0X"), ":", "")
	if n, ok := new(big.Int).SetString(hexText, 16); ok && n.Sign() > 0 {
		candidates = append(candidates, n)
	}
	if n, ok := new(big.Int).SetString(s, 10); ok && n.Sign() > 0 {
		candidates = append(candidates, n)
	}
	if len(candidates) == 0 {
		return nil, xroad.BadInput("serial", "%q is not a serial number; give it in hexadecimal (as openssl prints it) or decimal", s)
	}
	ca.mu.Lock()
	defer ca.mu.Unlock()
	if err := ca.refresh(); err != nil {
		return nil, err
	}
	var found []*big.Int
	for _, n := range candidates {
		if ca.find(n) >= 0 {
			found = append(found, n)
		}
	}
	switch {
	case len(found) == 0:
		return nil, notIssued(candidates[0])
	case len(found) > 1 && found[0].Cmp(found[1]) != 0:
		return nil, xroad.BadInput("serial", "%q matches two certificates (read as hexadecimal and as decimal); write it with 0x for hexadecimal", s)
	}
	return found[0], nil
}

func notIssued(serial *big.Int) error {
	return xroad.Errorf(xroad.CodeNotFound, "This CA issued no certificate with serial %s (hexadecimal)", serial.Text(16))
}

func (ca *CA) find(serial *big.Int) int { return indexOf(ca.index, serial) }

func indexOf(index []Entry, serial *big.Int) int {
	want := serial.Text(16)
	for i, e := range index {
		if e.Serial == want {
			return i
		}
	}
	return -1
}

// update applies change to the current index and saves the result, holding
// the in-process mutex and the directory's file lock.
func (ca *CA) update(change func([]Entry) ([]Entry, error)) error {
	ca.mu.Lock()
	defer ca.mu.Unlock()
	unlock, err := lockFile(filepath.Join(ca.dir, fileLock))
	if err != nil {
		return fmt.Errorf("lock the CA index: %w", err)
	}
	defer unlock()
	if err := ca.refresh(); err != nil {
		return err
	}
	next, err := change(append([]Entry(nil), ca.index...))
	if err != nil {
		return err
	}
	return ca.saveIndex(next)
}

// refresh re-reads the index if the file changed since it was last read or
// written (by this or another CA value). The caller holds ca.mu.
func (ca *CA) refresh() error {
	fi, err := os.Stat(filepath.Join(ca.dir, fileIndex))
	if err != nil {
		return fmt.Errorf("read the CA index: %w", err)
	}
	if ca.seen != nil && os.SameFile(ca.seen, fi) && ca.seen.ModTime().Equal(fi.ModTime()) && ca.seen.Size() == fi.Size() {
		return nil
	}
	return ca.loadIndex()
}

func (ca *CA) loadIndex() error {
	path := filepath.Join(ca.dir, fileIndex)
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("read the CA index: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	var idx indexFile
	if err := json.NewDecoder(f).Decode(&idx); err != nil {
		return fmt.Errorf("read the CA index %s: %w", path, err)
	}
	ca.index, ca.seen = idx.Certificates, fi
	return nil
}

// saveIndex writes index atomically (temporary file, then rename).
func (ca *CA) saveIndex(index []Entry) error {
	data := mustJSON(indexFile{Certificates: index})
	tmp, err := os.CreateTemp(ca.dir, ".index-*.json")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // no-op after a successful rename
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	path := filepath.Join(ca.dir, fileIndex)
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	fi, err := os.Stat(path)
	if err != nil {
		return err
	}
	ca.index, ca.seen = index, fi
	return nil
}
