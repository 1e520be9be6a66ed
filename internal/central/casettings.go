package central

import (
	"context"
	"net"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/roadreg/roadreg/ent"
	"github.com/roadreg/roadreg/internal/audit"
	"github.com/roadreg/roadreg/internal/db"
	"github.com/roadreg/roadreg/internal/pki"
	"github.com/roadreg/roadreg/internal/viewer"
	"github.com/roadreg/roadreg/internal/xroad"
)

// CASettings are an approved certification service's settings (UG-CS §10.1):
// the certificate profile, whether it issues authentication certificates
// only, the default CSR format and, for a CA that can be used for ACME, its
// ACME server. In an update a nil field stays as it is and "" clears an
// optional text; clearing the directory URL clears every ACME setting.
type CASettings struct {
	AuthenticationOnly     *bool
	CertificateProfileInfo *string
	DefaultCSRFormat       *xroad.CSRFormat
	// ACMEServerDirectoryURL is the ACME directory (http(s) URL); with it
	// the CA can be used for ACME.
	ACMEServerDirectoryURL *string
	// ACMEServerIPAddress lists the addresses the ACME server validates
	// challenges from, comma-separated.
	ACMEServerIPAddress *string
	// The ACME profiles of authentication and signing certificates.
	AuthenticationCertificateProfileID *string
	SigningCertificateProfileID        *string
}

// caSettings is a complete, checked set of settings.
type caSettings struct {
	authOnly                 bool
	profileInfo              string
	csrFormat                xroad.CSRFormat
	directory, ips           *string
	authProfile, signProfile *string
}

// defaultCASettings are a new CA's settings before the input applies:
// X-Road's default profile, PEM, no ACME.
func defaultCASettings() caSettings {
	return caSettings{profileInfo: pki.ProfileInfo, csrFormat: xroad.CSRFormatPEM}
}

func settingsOf(ca *ent.ApprovedCertificationService) caSettings {
	return caSettings{authOnly: ca.AuthenticationOnly, profileInfo: ca.CertificateProfileInfo, csrFormat: ca.DefaultCsrFormat,
		directory: ca.AcmeServerDirectoryURL, ips: ca.AcmeServerIPAddress,
		authProfile: ca.AuthenticationCertificateProfileID, signProfile: ca.SigningCertificateProfileID}
}

// apply checks in and applies it to cur. Bad values are BAD_USER_INPUT
// naming the field; an unknown profile CERTIFICATE_PROFILE_INFO_CLASS_NOT_FOUND.
func (in CASettings) apply(cur caSettings) (caSettings, error) {
	out := cur
	if in.AuthenticationOnly != nil {
		out.authOnly = *in.AuthenticationOnly
	}
	if in.CertificateProfileInfo != nil {
		info := xroad.Trim(*in.CertificateProfileInfo)
		if _, err := pki.ProfileFor(info); err != nil {
			return cur, err.(*xroad.Error).WithField("certificateProfileInfo")
		}
		out.profileInfo = info
	}
	if in.DefaultCSRFormat != nil {
		out.csrFormat = *in.DefaultCSRFormat
	}
	if in.ACMEServerDirectoryURL != nil {
		u := xroad.Trim(*in.ACMEServerDirectoryURL)
		if u != "" {
			if err := validateURL("acmeServerDirectoryUrl", u); err != nil {
				return cur, err
			}
		}
		out.directory = nonEmpty(u)
		if u == "" {
			out.ips, out.authProfile, out.signProfile = nil, nil, nil
		}
	}
	if in.ACMEServerIPAddress != nil {
		ips, err := ipList(*in.ACMEServerIPAddress)
		if err != nil {
			return cur, err
		}
		out.ips = nonEmpty(ips)
	}
	for _, p := range []struct {
		field string
		in    *string
		out   **string
	}{
		{"authenticationCertificateProfileId", in.AuthenticationCertificateProfileID, &out.authProfile},
		{"signingCertificateProfileId", in.SigningCertificateProfileID, &out.signProfile},
	} {
		if p.in == nil {
			continue
		}
		id := xroad.Trim(*p.in)
		if utf8.RuneCountInString(id) > xroad.MaxIdentifierPartLength || strings.ContainsFunc(id, unicode.IsControl) {
			return cur, xroad.BadInput(p.field, "%s must be at most %d characters without control characters", p.field, xroad.MaxIdentifierPartLength)
		}
		*p.out = nonEmpty(id)
	}
	if out.directory == nil && (out.ips != nil || out.authProfile != nil || out.signProfile != nil) {
		return cur, xroad.BadInput("acmeServerDirectoryUrl",
			"The ACME server's IP addresses and certificate profile ids need the ACME server directory URL; give it, or leave them empty")
	}
	return out, nil
}

// ipList checks and normalises a comma-separated list of IP addresses
// (X-Road's form of acmeServer/ipAddress).
func ipList(s string) (string, error) {
	var out []string
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		ip := net.ParseIP(part)
		if ip == nil {
			return "", xroad.BadInput("acmeServerIpAddress", "acmeServerIpAddress must list IP addresses separated by commas; %q is not one", part)
		}
		out = append(out, ip.String())
	}
	joined := strings.Join(out, ",")
	if len(joined) > xroad.MaxIdentifierPartLength {
		return "", xroad.BadInput("acmeServerIpAddress", "acmeServerIpAddress is longer than %d characters", xroad.MaxIdentifierPartLength)
	}
	return joined, nil
}

func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// auditData is what the audit log records of the settings.
func (c caSettings) auditData(data map[string]any) map[string]any {
	data["authenticationOnly"], data["certificateProfileInfo"], data["defaultCsrFormat"] = c.authOnly, c.profileInfo, c.csrFormat
	data["acmeServerDirectoryUrl"], data["acmeServerIpAddress"] = xroad.Deref(c.directory), xroad.Deref(c.ips)
	data["authenticationCertificateProfileId"], data["signingCertificateProfileId"] = xroad.Deref(c.authProfile), xroad.Deref(c.signProfile)
	return data
}

// UpdateApprovedCertificationService changes an approved certification
// service's settings (UG-CS §10.1, X-Road's updateCertificationService,
// permission EDIT_APPROVED_CA). The next configuration version publishes
// them.
func (s *Service) UpdateApprovedCertificationService(ctx context.Context, id int, in CASettings) (*ent.ApprovedCertificationService, error) {
	const event = "Edit certification service settings"
	if err := viewer.Require(ctx, viewer.CSEditApprovedCA); err != nil {
		return nil, err
	}
	ctx = viewer.Elevated(ctx)
	var ca *ent.ApprovedCertificationService
	data := map[string]any{"id": id}
	err := db.WithTx(ctx, s.client, func(tx *ent.Tx) error {
		cur, err := tx.ApprovedCertificationService.Get(ctx, id)
		if ent.IsNotFound(err) {
			return xroad.Errorf(xroad.CodeNotFound, "Approved certification service %d was not found", id)
		}
		if err != nil {
			return err
		}
		data["name"] = cur.Name
		next, err := in.apply(settingsOf(cur))
		if err != nil {
			return err
		}
		u := tx.ApprovedCertificationService.UpdateOne(cur).
			SetAuthenticationOnly(next.authOnly).SetCertificateProfileInfo(next.profileInfo).SetDefaultCsrFormat(next.csrFormat)
		setOrClear(next.directory, u.SetAcmeServerDirectoryURL, u.ClearAcmeServerDirectoryURL)
		setOrClear(next.ips, u.SetAcmeServerIPAddress, u.ClearAcmeServerIPAddress)
		setOrClear(next.authProfile, u.SetAuthenticationCertificateProfileID, u.ClearAuthenticationCertificateProfileID)
		setOrClear(next.signProfile, u.SetSigningCertificateProfileID, u.ClearSigningCertificateProfileID)
		if ca, err = u.Save(ctx); err != nil {
			return err
		}
		audit.Log(ctx, tx.Client(), audit.Entry{Event: event, Data: next.auditData(data)})
		db.AfterCommit(tx, s.gen.trigger)
		return nil
	})
	if err != nil {
		s.auditFailure(ctx, event, err, data)
		return nil, err
	}
	return ca.Unwrap(), nil
}

// setOrClear sets an optional column to *v, or clears it when v is nil.
func setOrClear[U any](v *string, set func(string) U, clear func() U) {
	if v != nil {
		set(*v)
	} else {
		clear()
	}
}
