package security

import (
	"context"
	"errors"
	"slices"

	"github.com/roadreg/roadreg/ent"
	"github.com/roadreg/roadreg/ent/certificate"
	"github.com/roadreg/roadreg/ent/certificatesigningrequest"
	"github.com/roadreg/roadreg/ent/key"
	"github.com/roadreg/roadreg/internal/db"
	"github.com/roadreg/roadreg/internal/events"
	"github.com/roadreg/roadreg/internal/signer"
	"github.com/roadreg/roadreg/internal/viewer"
	"github.com/roadreg/roadreg/internal/xroad"
)

// WarnAuthKeyWithRegisteredCert is X-Road's warning for deleting an
// authentication key whose certificate is registered or submitted for
// registration (metadata: the key id).
const WarnAuthKeyWithRegisteredCert = "auth_key_with_registered_cert_warning"

// deleteCertPermission is the permission deleting a certificate or CSR of
// the usage needs.
func deleteCertPermission(u xroad.KeyUsage) viewer.Permission {
	if u == xroad.UsageAuthentication {
		return viewer.SSDeleteAuthCert
	}
	return viewer.SSDeleteSignCert
}

// deleteKeyPermission is the permission deleting a key of the usage needs.
func deleteKeyPermission(u *xroad.KeyUsage) viewer.Permission {
	switch {
	case u == nil:
		return viewer.SSDeleteKey
	case *u == xroad.UsageAuthentication:
		return viewer.SSDeleteAuthKey
	}
	return viewer.SSDeleteSignKey
}

// DeleteCertificate deletes a certificate from the configuration (UG-SS
// §5.6.2). An authentication certificate that is REGISTERED or
// REGISTRATION_IN_PROGRESS must be unregistered first. It returns the
// certificate's id.
func (s *Service) DeleteCertificate(ctx context.Context, id int) (int, error) {
	sys := system(ctx)
	cert, err := s.client.Certificate.Query().Where(certificate.ID(id)).WithKey(func(q *ent.KeyQuery) { q.WithToken() }).Only(sys)
	if ent.IsNotFound(err) {
		return 0, errCertificateNotFound(id)
	}
	if err != nil {
		return 0, err
	}
	if err := viewer.Require(ctx, deleteCertPermission(cert.Usage)); err != nil {
		return 0, err
	}
	k := cert.Edges.Key
	data := map[string]any{"certificateHash": cert.Sha256, "keyUsage": cert.Usage, "status": cert.Status, "keyId": k.KeyID, "tokenId": k.Edges.Token.TokenID}
	s.regMu.Lock() // no registration or unregistration meanwhile
	defer s.regMu.Unlock()
	err = db.WithTx(sys, s.client, func(tx *ent.Tx) error {
		n, err := tx.Certificate.Delete().Where(certificate.ID(id), certificate.Not(mustUnregister())).Exec(sys)
		if err != nil {
			return err
		}
		if n == 0 {
			if gone, err := tx.Certificate.Query().Where(certificate.ID(id)).Exist(sys); err == nil && !gone {
				return errCertificateNotFound(id) // deleted meanwhile
			}
			return xroad.Errorf(xroad.CodeActionNotPossible,
				"The authentication certificate is registered or submitted for registration; unregister it before deleting it")
		}
		record(ctx, tx.Client(), evDeleteCert, data)
		s.publishAfterCommit(tx, events.TokenChanged, k.Edges.Token.ID)
		return nil
	})
	if err != nil {
		return 0, s.failed(ctx, evDeleteCert, data, err)
	}
	return id, nil
}

// DeleteCSR deletes a certificate signing request notice (UG-SS §5.6.2).
// It returns the CSR's id.
func (s *Service) DeleteCSR(ctx context.Context, id int) (int, error) {
	sys := system(ctx)
	csr, err := s.client.CertificateSigningRequest.Query().Where(certificatesigningrequest.ID(id)).
		WithKey(func(q *ent.KeyQuery) { q.WithToken() }).Only(sys)
	if ent.IsNotFound(err) {
		return 0, errCSRNotFound(id)
	}
	if err != nil {
		return 0, err
	}
	if err := viewer.Require(ctx, deleteCertPermission(csr.Usage)); err != nil {
		return 0, err
	}
	k := csr.Edges.Key
	data := map[string]any{"csrId": id, "keyUsage": csr.Usage, "caName": csr.CaName, "subject": csr.Subject, "keyId": k.KeyID, "tokenId": k.Edges.Token.TokenID}
	err = db.WithTx(sys, s.client, func(tx *ent.Tx) error {
		if n, err := tx.CertificateSigningRequest.Delete().Where(certificatesigningrequest.ID(id)).Exec(sys); err != nil {
			return err
		} else if n == 0 {
			return errCSRNotFound(id) // deleted meanwhile
		}
		record(ctx, tx.Client(), evDeleteCSR, data)
		s.publishAfterCommit(tx, events.TokenChanged, k.Edges.Token.ID)
		return nil
	})
	if err != nil {
		return 0, s.failed(ctx, evDeleteCSR, data, err)
	}
	return id, nil
}

// DeleteKey deletes a key with its certificates and CSR notices, from its
// token and from the configuration (UG-SS §5.7); the token must be logged
// in. An authentication key whose certificate is REGISTERED or
// REGISTRATION_IN_PROGRESS gives WARNINGS_DETECTED
// (auth_key_with_registered_cert_warning); with ignoreWarnings those
// certificates are unregistered first (authCertDeletion, which needs
// send_auth_cert_del_req), as X-Road does, and a failure to send stops the
// deletion. No registration or unregistration runs meanwhile. The key is
// destroyed on its token last, inside the database transaction: when the
// token refuses, the key stays in the configuration (the unregistrations
// done before stay too). It returns the key's id.
func (s *Service) DeleteKey(ctx context.Context, id int, ignoreWarnings bool) (int, error) {
	sys := system(ctx)
	k, err := s.keyRow(sys, id)
	if err != nil {
		return 0, err
	}
	if err := viewer.Require(ctx, deleteKeyPermission(k.Usage)); err != nil {
		return 0, err
	}
	tok := k.Edges.Token
	data := map[string]any{"keyId": k.KeyID, "keyName": KeyName(k), "tokenId": tok.TokenID, "tokenName": tok.Name}
	if k.Usage != nil {
		data["keyUsage"] = *k.Usage
	}
	facts, err := s.keyFacts(sys, k)
	if err != nil {
		return 0, err
	}
	if !slices.Contains(keyActions(facts), ActionDelete) {
		msg := "The token of key " + KeyName(k) + " is not logged in; log in to it first"
		if facts.TokenLoggedIn && facts.Available {
			msg = "Key " + KeyName(k) + " is an authentication key on a hardware token, which is not supported"
		}
		return 0, s.failed(ctx, evDeleteKey, data, xroad.Errorf(xroad.CodeActionNotPossible, "%s", msg))
	}
	s.regMu.Lock()
	defer s.regMu.Unlock()
	if err := s.unregisterKeyCerts(ctx, k, ignoreWarnings); err != nil {
		return 0, s.failed(ctx, evDeleteKey, data, err)
	}
	// A hardware-token sync must not record the key again while it goes.
	s.syncMu.Lock()
	defer s.syncMu.Unlock()
	err = db.WithTx(sys, s.client, func(tx *ent.Tx) error {
		certs, err := tx.Certificate.Query().Where(certificate.HasKeyWith(key.ID(k.ID))).All(sys)
		if err != nil {
			return err
		}
		for _, c := range certs {
			if canUnregister(c.Usage, c.Status) {
				return xroad.Errorf(xroad.CodeActionNotPossible, "An authentication certificate of key %s was submitted for registration meanwhile; unregister it first", KeyName(k))
			}
		}
		var hashes []string
		for _, c := range certs {
			hashes = append(hashes, c.Sha256)
		}
		if len(hashes) > 0 {
			data["certificateHashes"] = hashes
		}
		if _, err := tx.Certificate.Delete().Where(certificate.HasKeyWith(key.ID(k.ID))).Exec(sys); err != nil {
			return err
		}
		if _, err := tx.CertificateSigningRequest.Delete().Where(certificatesigningrequest.HasKeyWith(key.ID(k.ID))).Exec(sys); err != nil {
			return err
		}
		if n, err := tx.Key.Delete().Where(key.ID(k.ID)).Exec(sys); err != nil {
			return err
		} else if n == 0 {
			return xroad.Errorf(xroad.CodeKeyNotFound, "Key %s was not found; it was deleted meanwhile", KeyName(k))
		}
		record(ctx, tx.Client(), evDeleteKey, data)
		s.publishAfterCommit(tx, events.TokenChanged, tok.ID)
		// The token last: when it fails, the transaction is rolled back.
		return s.deleteFromToken(k, tok)
	})
	if err != nil {
		return 0, s.failed(ctx, evDeleteKey, data, err)
	}
	return id, nil
}

// unregisterKeyCerts unregisters the key's authentication certificates that
// are registered or submitted for registration, or asks for confirmation.
// Call with regMu held.
func (s *Service) unregisterKeyCerts(ctx context.Context, k *ent.Key, ignoreWarnings bool) error {
	certs, err := k.QueryCertificates().All(system(ctx))
	if err != nil {
		return err
	}
	certs = slices.DeleteFunc(certs, func(c *ent.Certificate) bool { return !canUnregister(c.Usage, c.Status) })
	if len(certs) == 0 {
		return nil
	}
	if !ignoreWarnings {
		return xroad.WarningsDetected([]xroad.Warning{{Code: WarnAuthKeyWithRegisteredCert, Metadata: []string{k.KeyID}}})
	}
	if err := viewer.Require(ctx, viewer.SSSendAuthCertDelReq); err != nil {
		return err
	}
	for _, c := range certs {
		if err := s.unregisterLocked(ctx, c, true, evUnregisterAuthCert, map[string]any{"certificateHash": c.Sha256}); err != nil {
			return err
		}
	}
	return nil
}

// deleteFromToken destroys a key that lives on its token (PKCS#11); the
// software token's keys are rows of the database only.
func (s *Service) deleteFromToken(k *ent.Key, tok *ent.Token) error {
	rt, err := s.usableToken(tok, true)
	if err != nil {
		return err
	}
	deleter, ok := rt.(signer.KeyDeleter)
	if !ok {
		return nil
	}
	if err := deleter.DeleteKey(k.KeyID); err != nil {
		var xe *xroad.Error
		if errors.As(err, &xe) {
			return err
		}
		return xroad.Errorf(xroad.CodeTokenOperationFailed, "Deleting key %s from token %q failed", KeyName(k), tok.Name).Wrap(err)
	}
	return nil
}

func errCertificateNotFound(id int) error {
	return xroad.Errorf(xroad.CodeCertificateNotFound, "Certificate with id %d was not found", id)
}

func errCSRNotFound(id int) error {
	return xroad.Errorf(xroad.CodeCsrNotFound, "Certificate signing request with id %d was not found", id)
}
