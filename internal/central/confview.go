package central

import (
	"context"
	"crypto/x509"
	"encoding/hex"
	"path"
	"time"

	"github.com/roadreg/roadreg/ent"
	"github.com/roadreg/roadreg/ent/configurationsigningkey"
	"github.com/roadreg/roadreg/ent/globalconfversion"
	"github.com/roadreg/roadreg/internal/globalconf"
	"github.com/roadreg/roadreg/internal/viewer"
	"github.com/roadreg/roadreg/internal/xroad"
)

// ConfVersion is one generated version of the global configuration, as the
// global configuration page lists it (UG-CS, Configuration Management).
type ConfVersion struct {
	Version int
	// ContentID names the directory its parts are published under.
	ContentID   string
	GeneratedAt time.Time
	ExpiresAt   time.Time
	// Hash is the SHA-256 of the signed directory, lower-case hex.
	Hash string
	// Current is the version served at /internalconf now.
	Current bool
	Parts   []ConfPart
}

// ConfPart is one part of a version as its signed directory lists it.
type ConfPart struct {
	ContentIdentifier string
	FileName          string
	// HashAlgorithm is the directory's hash algorithm ("SHA-512") and Hash
	// the part's hash under it, lower-case hex.
	HashAlgorithm string
	Hash          string
	// DownloadPath is where this server serves the file while the version
	// is still published (the newest ones); "" afterwards.
	DownloadPath string
}

// MaxConfVersions is how many versions GlobalConfVersions lists at most
// (the database keeps as many).
const MaxConfVersions = keepVersions

// GlobalConfVersions lists the newest generated versions, newest first, at
// most limit of them (1..MaxConfVersions; 0 means 10).
func (s *Service) GlobalConfVersions(ctx context.Context, limit int) ([]ConfVersion, error) {
	if err := viewer.Require(ctx, viewer.CSViewGlobalConf); err != nil {
		return nil, err
	}
	switch {
	case limit == 0:
		limit = 10
	case limit < 0 || limit > MaxConfVersions:
		return nil, xroad.BadInput("first", "first must be between 1 and %d", MaxConfVersions)
	}
	rows, err := s.client.GlobalConfVersion.Query().Order(ent.Desc(globalconfversion.FieldVersion)).Limit(limit).All(sys(ctx))
	if err != nil {
		return nil, err
	}
	current := ""
	if p := s.gen.pub.Current(); p != nil {
		current = p.ID
	}
	out := make([]ConfVersion, 0, len(rows))
	for _, r := range rows {
		v := ConfVersion{Version: r.Version, ContentID: r.ContentID, GeneratedAt: r.GeneratedAt, ExpiresAt: r.ExpiresAt,
			Hash: r.Hash, Current: r.ContentID == current}
		d, err := globalconf.ParseDirectory(r.Directory)
		if err != nil {
			return nil, err
		}
		published := s.gen.pub.Has(r.ContentID)
		for _, p := range d.Parts {
			part := ConfPart{ContentIdentifier: p.ContentIdentifier, FileName: path.Base(p.ContentLocation),
				HashAlgorithm: globalconf.HashName(p.HashAlgorithmID), Hash: hex.EncodeToString(p.Hash)}
			if published {
				part.DownloadPath = p.ContentLocation
			}
			v.Parts = append(v.Parts, part)
		}
		out = append(out, v)
	}
	return out, nil
}

// SigningKey is a configuration-signing key of the central server's
// software token with its certificate (the anchor's verification
// certificate).
type SigningKey struct {
	KeyID string
	// SourceType is INTERNAL (the configuration security servers download)
	// or EXTERNAL.
	SourceType  string
	Algorithm   string
	Active      bool
	CreatedAt   time.Time
	Certificate *x509.Certificate
}

// SigningKeys lists the configuration-signing keys, oldest first.
func (s *Service) SigningKeys(ctx context.Context) ([]SigningKey, error) {
	if err := viewer.Require(ctx, viewer.CSViewGlobalConf); err != nil {
		return nil, err
	}
	rows, err := s.client.ConfigurationSigningKey.Query().Order(ent.Asc(configurationsigningkey.FieldCreatedAt)).All(sys(ctx))
	if err != nil {
		return nil, err
	}
	out := make([]SigningKey, 0, len(rows))
	for _, r := range rows {
		c, err := x509.ParseCertificate(r.Certificate)
		if err != nil {
			return nil, err
		}
		out = append(out, SigningKey{KeyID: r.KeyID, SourceType: string(r.SourceType), Algorithm: r.Algorithm,
			Active: r.Active, CreatedAt: r.CreatedAt, Certificate: c})
	}
	return out, nil
}
