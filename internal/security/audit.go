package security

import (
	"context"
	"errors"

	"github.com/roadreg/roadreg/ent"
	"github.com/roadreg/roadreg/internal/audit"
	"github.com/roadreg/roadreg/internal/xroad"
)

// X-Road's audit event names (failures get " failed" appended), plus
// Roadreg's own for what the server does by itself.
const (
	evInitAnchor         = "Initialize anchor"
	evUploadAnchor       = "Upload configuration anchor"
	evInitServer         = "Initialize server configuration"
	evAddTSP             = "Add timestamping service"
	evDeleteTSP          = "Delete timestamping service"
	evChangePIN          = "Change token pin"
	evLogin              = "Log in to token"
	evLogout             = "Log out from token"
	evUnlock             = "Unlock token"
	evGenerateKey        = "Generate key"
	evGenerateCSR        = "Generate CSR"
	evImportCert         = "Import certificate from file"
	evRegisterAuthCert   = "Register authentication certificate"
	evEnableCert         = "Enable certificate"
	evDisableCert        = "Disable certificate"
	evRefreshConf        = "Refresh global configuration"
	evCertStatusChanged  = "Set certificate registration status from global configuration"
	evClientStatusChange = "Set client status from global configuration"
	evRegistrationRefuse = "Authentication certificate registration declined"
	evUnregisterAuthCert = "Unregister authentication certificate"
	evSkipUnregister     = "Skip unregistration of authentication certificate"
	evDeleteCert         = "Delete certificate from configuration"
	evDeleteCSR          = "Delete CSR"
	evDeleteKey          = "Delete key from token and configuration"
)

// record writes an audit entry for the caller in ctx, with client (a
// transaction's client makes the entry part of it).
func record(ctx context.Context, client *ent.Client, event string, data map[string]any) {
	audit.Log(ctx, client, audit.Entry{Event: event, Data: data})
}

// failed records that the caller's operation failed and returns err. The
// reason is the error's message, which never holds secrets.
func (s *Service) failed(ctx context.Context, event string, data map[string]any, err error) error {
	if err == nil {
		return nil
	}
	d := map[string]any{}
	for k, v := range data {
		d[k] = v
	}
	var xe *xroad.Error
	if errors.As(err, &xe) {
		d["reason"] = xe.Message
		d["code"] = xe.Code
	} else {
		d["code"] = xroad.CodeInternal
	}
	audit.Log(ctx, s.client, audit.Entry{Event: event, Failed: true, Data: d})
	return err
}
