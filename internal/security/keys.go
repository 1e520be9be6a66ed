package security

import (
	"context"
	"crypto/x509"
	"errors"

	"github.com/roadreg/roadreg/ent"
	"github.com/roadreg/roadreg/ent/key"
	"github.com/roadreg/roadreg/internal/db"
	"github.com/roadreg/roadreg/internal/signer"
	"github.com/roadreg/roadreg/internal/viewer"
	"github.com/roadreg/roadreg/internal/xroad"
)

// GenerateKey makes a key pair on a logged-in token (SS_28): RSA 2048 by
// default, as X-Road, or EC P-256. Its usage stays undefined until the
// first CSR or certificate.
func (s *Service) GenerateKey(ctx context.Context, tokenID int, label string, alg xroad.KeyAlgorithm) (*ent.Key, error) {
	if err := viewer.Require(ctx, viewer.SSGenerateKey); err != nil {
		return nil, err
	}
	sys := system(ctx)
	row, err := s.tokenRow(sys, tokenID)
	if err != nil {
		return nil, err
	}
	label = xroad.Trim(label)
	if alg == "" {
		alg = xroad.AlgorithmRSA
	}
	data := map[string]any{"tokenId": row.TokenID, "tokenName": row.Name, "keyLabel": label, "algorithm": alg}
	if len(label) > xroad.MaxIdentifierPartLength {
		return nil, s.failed(ctx, evGenerateKey, data, xroad.BadInput("label", "The label may have at most %d characters", xroad.MaxIdentifierPartLength))
	}
	if err := signer.CheckAlgorithm(alg); err != nil {
		return nil, s.failed(ctx, evGenerateKey, data, err)
	}
	rt, err := s.usableToken(row, true)
	if err != nil {
		return nil, s.failed(ctx, evGenerateKey, data, err)
	}
	// A hardware-token sync must not record the new key before we do.
	s.syncMu.Lock()
	defer s.syncMu.Unlock()
	info, err := rt.GenerateKey(alg, label)
	if err != nil {
		var xe *xroad.Error
		if !errors.As(err, &xe) {
			err = xroad.Errorf(xroad.CodeTokenOperationFailed, "Generating a key on token %q failed", row.Name).Wrap(err)
		}
		return nil, s.failed(ctx, evGenerateKey, data, err)
	}
	pub, err := x509.MarshalPKIXPublicKey(info.PublicKey)
	if err != nil {
		return nil, err
	}
	data["keyId"] = info.ID
	var k *ent.Key
	err = db.WithTx(sys, s.client, func(tx *ent.Tx) error {
		c := tx.Key.Create().SetTokenID(row.ID).SetKeyID(info.ID).SetAlgorithm(info.Algorithm).SetPublicKey(pub)
		if label != "" {
			c.SetLabel(label)
		}
		if info.Blob != nil {
			c.SetPrivateKeyBlob(info.Blob)
		}
		if k, err = c.Save(sys); err != nil {
			return err
		}
		record(ctx, tx.Client(), evGenerateKey, data)
		return nil
	})
	if err != nil {
		return nil, s.failed(ctx, evGenerateKey, data, err)
	}
	return k.Unwrap(), nil // created in the transaction: detach it from it
}

// KeyName is a key's friendly name: its label, or its id.
func KeyName(k *ent.Key) string {
	if k.Label != nil && *k.Label != "" {
		return *k.Label
	}
	return k.KeyID
}

// keyRow loads a key and its token.
func (s *Service) keyRow(ctx context.Context, id int) (*ent.Key, error) {
	k, err := s.client.Key.Query().Where(key.ID(id)).WithToken().Only(ctx)
	if ent.IsNotFound(err) {
		return nil, xroad.Errorf(xroad.CodeKeyNotFound, "Key with id %d was not found", id)
	}
	return k, err
}
