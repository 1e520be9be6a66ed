package auth

import (
	"context"
	"strings"
	"time"
	"unicode"

	"github.com/roadreg/roadreg/ent"
	"github.com/roadreg/roadreg/ent/apikey"
	"github.com/roadreg/roadreg/internal/audit"
	"github.com/roadreg/roadreg/internal/events"
	"github.com/roadreg/roadreg/internal/viewer"
	"github.com/roadreg/roadreg/internal/xroad"
)

// CodeAPIKeyRevoked refuses changes to a revoked API key.
const CodeAPIKeyRevoked = "API_KEY_REVOKED"

// APIKeyInfo is an API key as administrators see it; the key itself is
// shown once, by CreateAPIKey, and stored only as a hash.
type APIKeyInfo struct {
	ID        int
	Name      *string
	Roles     []viewer.Role
	CreatedAt time.Time
	UpdatedAt time.Time
	RevokedAt *time.Time
}

func apiKeyInfo(k *ent.APIKey) *APIKeyInfo {
	var name *string
	if k.Name != "" {
		name = &k.Name
	}
	return &APIKeyInfo{ID: k.ID, Name: name, Roles: parseRoles(k.Roles), CreatedAt: k.CreatedAt, UpdatedAt: k.UpdatedAt, RevokedAt: k.RevokedAt}
}

// APIKeys lists the API keys, oldest first; revoked ones only with
// includeRevoked.
func (s *Service) APIKeys(ctx context.Context, includeRevoked bool) ([]*APIKeyInfo, error) {
	if err := viewer.Require(ctx, viewer.CSViewAPIKeys, viewer.SSViewAPIKeys); err != nil {
		return nil, err
	}
	q := s.client.APIKey.Query().Order(apikey.ByID())
	if !includeRevoked {
		q.Where(apikey.RevokedAtIsNil())
	}
	ks, err := q.All(s.sys(ctx))
	if err != nil {
		return nil, err
	}
	out := make([]*APIKeyInfo, len(ks))
	for i, k := range ks {
		out[i] = apiKeyInfo(k)
	}
	return out, nil
}

// CreateAPIKey creates an API key with roles of this server and returns
// it; it is shown this once and stored only as a hash.
func (s *Service) CreateAPIKey(ctx context.Context, name string, roles []string) (string, *APIKeyInfo, error) {
	if err := viewer.Require(ctx, viewer.CSCreateAPIKey, viewer.SSCreateAPIKey); err != nil {
		return "", nil, err
	}
	name = strings.TrimSpace(name)
	if len(name) > 255 || strings.IndexFunc(name, unicode.IsControl) >= 0 {
		return "", nil, xroad.BadInput("name", "an API key's name has at most 255 characters and no control characters")
	}
	rs, err := s.CheckRoles(roles)
	if err != nil {
		return "", nil, err
	}
	key, hash, err := newSecret(APIKeyPrefix)
	if err != nil {
		return "", nil, err
	}
	ctx = viewer.Elevated(ctx)
	var k *ent.APIKey
	err = s.inTx(ctx, func(tx *ent.Tx) error {
		c := tx.APIKey.Create().SetKeyHash(hash).SetRoles(rs)
		if name != "" {
			c.SetName(name)
		}
		if k, err = c.Save(ctx); err != nil {
			return err
		}
		audit.Log(ctx, tx.Client(), audit.Entry{Event: "Create API key", Data: map[string]any{"id": k.ID, "name": name, "roles": rs}})
		return nil
	})
	if err != nil {
		return "", nil, err
	}
	return key, apiKeyInfo(k), nil
}

// UpdateAPIKey replaces the roles of an API key. Connections authenticated
// with it hear APIKeyRevoked, so open websockets reconnect with the new
// roles.
func (s *Service) UpdateAPIKey(ctx context.Context, id int, roles []string) (*APIKeyInfo, error) {
	if err := viewer.Require(ctx, viewer.CSUpdateAPIKey, viewer.SSUpdateAPIKey); err != nil {
		return nil, err
	}
	rs, err := s.CheckRoles(roles)
	if err != nil {
		return nil, err
	}
	return s.changeAPIKey(ctx, id, "Update API key", map[string]any{"roles": rs}, func(ctx context.Context, tx *ent.Tx, k *ent.APIKey) (*ent.APIKey, error) {
		return tx.APIKey.UpdateOne(k).SetRoles(rs).Save(ctx)
	})
}

// RevokeAPIKey revokes an API key: it no longer authenticates anybody.
func (s *Service) RevokeAPIKey(ctx context.Context, id int) (*APIKeyInfo, error) {
	if err := viewer.Require(ctx, viewer.CSRevokeAPIKey, viewer.SSRevokeAPIKey); err != nil {
		return nil, err
	}
	return s.changeAPIKey(ctx, id, "Revoke API key", nil, func(ctx context.Context, tx *ent.Tx, k *ent.APIKey) (*ent.APIKey, error) {
		return tx.APIKey.UpdateOne(k).SetRevokedAt(s.now()).Save(ctx)
	})
}

// changeAPIKey applies fn to a key that is not revoked, audit-logs event
// and publishes APIKeyRevoked after the commit.
func (s *Service) changeAPIKey(ctx context.Context, id int, event string, data map[string]any,
	fn func(ctx context.Context, tx *ent.Tx, k *ent.APIKey) (*ent.APIKey, error)) (*APIKeyInfo, error) {
	if data == nil {
		data = map[string]any{}
	}
	data["id"] = id
	ctx = viewer.Elevated(ctx)
	var k *ent.APIKey
	err := s.inTx(ctx, func(tx *ent.Tx) error {
		old, err := tx.APIKey.Get(ctx, id)
		if ent.IsNotFound(err) {
			return xroad.Errorf(xroad.CodeNotFound, "there is no API key with id %d", id)
		}
		if err != nil {
			return err
		}
		if old.RevokedAt != nil {
			return xroad.Errorf(CodeAPIKeyRevoked, "API key %d is revoked already", id)
		}
		if k, err = fn(ctx, tx, old); err != nil {
			return err
		}
		data["name"] = k.Name
		audit.Log(ctx, tx.Client(), audit.Entry{Event: event, Data: data})
		return nil
	})
	if err != nil {
		s.auditFailure(ctx, event, err, data)
		return nil, err
	}
	s.emit(events.APIKeyRevoked, id)
	return apiKeyInfo(k), nil
}
