package security

import (
	"context"
	"errors"

	"github.com/roadreg/roadreg/ent"
	"github.com/roadreg/roadreg/ent/certificate"
	"github.com/roadreg/roadreg/internal/db"
	"github.com/roadreg/roadreg/internal/events"
	"github.com/roadreg/roadreg/internal/mgmtreq"
	"github.com/roadreg/roadreg/internal/viewer"
	"github.com/roadreg/roadreg/internal/xroad"
)

// UnregisterAuthCertificate unregisters an authentication certificate that
// is REGISTERED or REGISTRATION_IN_PROGRESS (UG-SS §5.6.1): it sends X-Road's
// authCertDeletion to the central server's management service, signed with
// the owner's signing key, and the certificate becomes DELETION_IN_PROGRESS
// with the central server's request id. The status checker returns it to
// SAVED once the global configuration no longer lists it. When the request
// cannot be sent nothing changes; MarkAuthCertForDeletion makes the
// transition without it.
func (s *Service) UnregisterAuthCertificate(ctx context.Context, id int) (*ent.Certificate, error) {
	return s.unregister(ctx, id, true)
}

// MarkAuthCertForDeletion makes an authentication certificate
// DELETION_IN_PROGRESS without sending the deletion request (UG-SS §5.2.2:
// "The user can force this state transition even if the sending of the
// authentication certificate deletion request fails"); the central server's
// administrator then deletes it there.
func (s *Service) MarkAuthCertForDeletion(ctx context.Context, id int) (*ent.Certificate, error) {
	return s.unregister(ctx, id, false)
}

func (s *Service) unregister(ctx context.Context, id int, send bool) (*ent.Certificate, error) {
	if err := viewer.Require(ctx, viewer.SSSendAuthCertDelReq); err != nil {
		return nil, err
	}
	event := evUnregisterAuthCert
	if !send {
		event = evSkipUnregister
	}
	data := map[string]any{"certificateId": id}
	s.regMu.Lock() // registration and unregistration of a certificate do not overlap
	defer s.regMu.Unlock()
	cert, err := s.certRow(system(ctx), id)
	if err != nil {
		return nil, s.failed(ctx, event, data, err)
	}
	delete(data, "certificateId")
	data["certificateHash"] = cert.Sha256
	if err := s.unregisterLocked(ctx, cert, send, event, data); err != nil {
		return nil, err
	}
	return s.client.Certificate.Get(system(ctx), id)
}

// unregisterLocked unregisters cert (sending the request when send is
// set) with regMu held, and records event with data.
func (s *Service) unregisterLocked(ctx context.Context, cert *ent.Certificate, send bool, event string, data map[string]any) error {
	if !canUnregister(cert.Usage, cert.Status) {
		msg := "Only authentication certificates are registered with the central server; a signing certificate is deleted without unregistering"
		if cert.Usage == xroad.UsageAuthentication {
			msg = "The certificate is " + string(cert.Status) + "; only a REGISTERED or REGISTRATION_IN_PROGRESS authentication certificate can be unregistered"
		}
		return s.failed(ctx, event, data, xroad.Errorf(xroad.CodeActionNotPossible, "%s", msg))
	}
	// The central server publishes the configuration without the
	// certificate as soon as it has the request; the status checker must
	// not compare it with the certificate before it is DELETION_IN_PROGRESS
	// (it would make it GLOBAL_ERROR).
	s.checkMu.Lock()
	err := s.sendAndMark(ctx, cert, send, event, data)
	s.checkMu.Unlock()
	if err != nil {
		return err
	}
	// The central server may have published the configuration without the
	// certificate before this commit; the checker compares it now.
	s.runChecker(viewer.SystemContext(context.WithoutCancel(ctx), viewer.Security))
	return nil
}

// sendAndMark sends the deletion request (when send is set) and makes the
// certificate DELETION_IN_PROGRESS, with checkMu held.
func (s *Service) sendAndMark(ctx context.Context, cert *ent.Certificate, send bool, event string, data map[string]any) error {
	sys := system(ctx)
	var del *deletion
	if send {
		var err error
		if del, err = s.sendDeletion(ctx, cert); err != nil {
			return s.failed(ctx, event, data, err)
		}
		data["requestId"] = del.requestID
	}
	err := db.WithTx(sys, s.client, func(tx *ent.Tx) error {
		u := tx.Certificate.Update().Where(certificate.ID(cert.ID), mustUnregister()).
			SetStatus(xroad.CertDeletionInProgress)
		if del != nil {
			u.SetDeletionRequestID(del.requestID)
		}
		n, err := u.Save(sys)
		if err != nil {
			return err
		}
		if n == 0 {
			return xroad.Errorf(xroad.CodeActionNotPossible, "The certificate changed while it was being unregistered")
		}
		if del != nil {
			if err := s.keepOwnerOCSP(sys, tx, del.owner, del.ownerOCSP); err != nil {
				return err
			}
		}
		record(ctx, tx.Client(), event, data)
		s.publishAfterCommit(tx, events.CertificateChanged, cert.ID)
		return nil
	})
	return s.failed(ctx, event, data, err)
}

// deletion is an authCertDeletion the central server accepted.
type deletion struct {
	requestID int
	// owner is the owner's signing certificate used, ownerOCSP the OCSP
	// response sent with it.
	owner     *ent.Certificate
	ownerOCSP []byte
}

// sendDeletion builds the authCertDeletion for cert, signed with the
// owner's signing key, and sends it to the management service of the
// configuration (pinning its TLS certificate, as for authCertReg).
func (s *Service) sendDeletion(ctx context.Context, cert *ent.Certificate) (*deletion, error) {
	snap, err := s.validConf()
	if err != nil {
		return nil, err
	}
	_, server, err := s.initialized(system(ctx))
	if err != nil {
		return nil, err
	}
	d := &deletion{}
	owner, ownerSigner, ownerOCSP, err := s.ownerSigningCert(ctx, snap, server.Owner)
	if err != nil {
		return nil, err
	}
	d.owner, d.ownerOCSP = owner, ownerOCSP
	ms := snap.Private.ManagementService
	body, ct, err := mgmtreq.BuildDeletion(mgmtreq.AuthCertDeletion{
		Client:   server.Owner,
		Service:  xroad.ServiceID{Client: ms.ManagementRequestServiceProviderID, ServiceCode: mgmtreq.ServiceCodeDeletion},
		Server:   server,
		AuthCert: cert.Der,
	}, ownerSigner, owner.Der, ownerOCSP, 0)
	if err != nil {
		return nil, err
	}
	client, err := s.managementClient(ms)
	if err != nil {
		return nil, xroad.Errorf(xroad.CodeManagementRequestSendFailed, "%s", xroad.Message(err)).Wrap(err)
	}
	if d.requestID, err = mgmtreq.Send(ctx, client, ms.AuthCertRegServiceAddress, body, ct); err != nil {
		return nil, deletionError(err)
	}
	return d, nil
}

// deletionError makes a failed deletion request clear: the central server
// could not be reached (MANAGEMENT_REQUEST_SEND_FAILED, with the way out),
// or it refused the request (its code).
func deletionError(err error) error {
	var xe *xroad.Error
	if !errors.As(err, &xe) || xe.Code == xroad.CodeManagementRequestSendFailed || xe.Code == xroad.CodeInternal {
		return xroad.Errorf(xroad.CodeManagementRequestSendFailed,
			"Failed to send the authentication certificate deletion request: %s. Try again, or mark the certificate for deletion without the request (markAuthCertForDeletion) and ask the central server's administrator to delete it there",
			xroad.Message(err)).Wrap(err)
	}
	return xroad.Errorf(xe.Code, "The central server refused the authentication certificate deletion request: %s", xe.Message).
		WithMetadata(xe.Metadata...).Wrap(err)
}
