package security

import (
	"slices"

	"github.com/roadreg/roadreg/internal/globalconf"
	"github.com/roadreg/roadreg/internal/xroad"
)

// The status checker (X-Road's GlobalConfChecker; UC-GCONF GCONF_23,
// UC-SS SS_34) as a pure function: the configuration and the local state in, the
// status changes out. The caller applies them.

// CertState is what the checker needs of a local authentication
// certificate.
type CertState struct {
	ID     int
	Status xroad.CertificateStatus
	// Hash is the SHA-256 of the certificate's DER.
	Hash []byte
	// Unregistered: the central server accepted its authCertDeletion (a
	// certificate only marked for deletion has none).
	Unregistered bool
}

// ClientState is what the checker needs of a local client.
type ClientState struct {
	ID     int
	Client xroad.ClientID
	Status xroad.ClientStatus
}

// LocalState is the security server's side of the comparison.
type LocalState struct {
	ServerID  xroad.ServerID
	Clients   []ClientState
	AuthCerts []CertState
}

// CertChange is a new registration status of a certificate.
type CertChange struct {
	ID       int
	From, To xroad.CertificateStatus
}

// ClientChange is a new status of a client.
type ClientChange struct {
	ID       int
	Client   xroad.ClientID
	From, To xroad.ClientStatus
}

// Changes are what the checker found.
type Changes struct {
	Certs   []CertChange
	Clients []ClientChange
}

// Empty reports whether nothing changes.
func (c Changes) Empty() bool { return len(c.Certs) == 0 && len(c.Clients) == 0 }

// Check compares the local state with the shared parameters:
//   - an authentication certificate that is SAVED, REGISTRATION_IN_PROGRESS
//     or GLOBAL_ERROR becomes REGISTERED when its hash is listed under this
//     server; a REGISTERED one becomes GLOBAL_ERROR when it is not (any
//     more); a DELETION_IN_PROGRESS one whose authCertDeletion the central
//     server accepted becomes SAVED when the configuration no longer lists
//     it — the central server has removed it (X-Road leaves it
//     DELETION_IN_PROGRESS until it is deleted; docs/DESIGN-NOTES.md) — and
//     stays while it is listed; one only marked for deletion stays, as in
//     X-Road (its registration may still be pending);
//   - a client that is SAVED, REGISTRATION_IN_PROGRESS or GLOBAL_ERROR
//     becomes REGISTERED when the configuration lists it as a client of this
//     server (the owner is implicitly a client of its own server as soon as
//     the server is listed); a REGISTERED one becomes GLOBAL_ERROR when it is
//     not listed; DELETION_IN_PROGRESS is left alone.
//
// Without shared parameters nothing changes.
func Check(shared *globalconf.SharedParameters, local LocalState) Changes {
	var ch Changes
	if shared == nil {
		return ch
	}
	for _, c := range local.AuthCerts {
		srv, ok := shared.ServerByAuthCertHash(c.Hash)
		listed := ok && srv.ID == local.ServerID
		if to, change := nextCertStatus(c, listed); change {
			ch.Certs = append(ch.Certs, CertChange{ID: c.ID, From: c.Status, To: to})
		}
	}
	server, serverListed := shared.SecurityServer(local.ServerID)
	for _, c := range local.Clients {
		listed := serverListed && (c.Client == local.ServerID.Owner.Member() || slices.Contains(server.Clients, c.Client))
		if to, change := nextClientStatus(c.Status, listed); change {
			ch.Clients = append(ch.Clients, ClientChange{ID: c.ID, Client: c.Client, From: c.Status, To: to})
		}
	}
	return ch
}

func nextCertStatus(c CertState, listed bool) (xroad.CertificateStatus, bool) {
	s := c.Status
	switch {
	case listed && (s == xroad.CertSaved || s == xroad.CertRegistrationInProgress || s == xroad.CertGlobalError):
		return xroad.CertRegistered, true
	case !listed && s == xroad.CertRegistered:
		return xroad.CertGlobalError, true
	case !listed && s == xroad.CertDeletionInProgress && c.Unregistered:
		return xroad.CertSaved, true
	}
	return s, false
}

func nextClientStatus(s xroad.ClientStatus, listed bool) (xroad.ClientStatus, bool) {
	switch {
	case listed && (s == xroad.ClientSaved || s == xroad.ClientRegistrationInProgress || s == xroad.ClientGlobalError):
		return xroad.ClientRegistered, true
	case !listed && s == xroad.ClientRegistered:
		return xroad.ClientGlobalError, true
	}
	return s, false
}
