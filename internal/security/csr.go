package security

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/roadreg/roadreg/ent"
	"github.com/roadreg/roadreg/ent/certificate"
	"github.com/roadreg/roadreg/ent/serverclient"
	"github.com/roadreg/roadreg/internal/db"
	"github.com/roadreg/roadreg/internal/globalconf"
	"github.com/roadreg/roadreg/internal/pki"
	"github.com/roadreg/roadreg/internal/viewer"
	"github.com/roadreg/roadreg/internal/xroad"
)

// SubjectValue is a value the caller gives for one subject field of a CSR.
type SubjectValue struct {
	ID    string
	Value string
}

// CSRInput is what GenerateCSR needs (SS_29).
type CSRInput struct {
	KeyID  int
	Usage  xroad.KeyUsage
	CAName string
	// MemberID is INSTANCE/CLASS/CODE of the member a signing CSR is for.
	MemberID string
	// SubjectFields override the profile's defaults where it allows.
	SubjectFields []SubjectValue
}

// CSR file formats.
const (
	FormatPEM = "PEM"
	FormatDER = "DER"
)

// csrPermission is the permission a CSR of the usage needs.
func csrPermission(u xroad.KeyUsage) viewer.Permission {
	if u == xroad.UsageAuthentication {
		return viewer.SSGenerateAuthCSR
	}
	return viewer.SSGenerateSignCSR
}

// GenerateCSR makes a certificate signing request for a key (SS_29) with
// the CA's certificate profile. The first CSR fixes the key's usage.
func (s *Service) GenerateCSR(ctx context.Context, in CSRInput) (*ent.CertificateSigningRequest, error) {
	if err := viewer.Require(ctx, csrPermission(in.Usage)); err != nil {
		return nil, err
	}
	in.CAName, in.MemberID = xroad.Trim(in.CAName), xroad.Trim(in.MemberID)
	data := map[string]any{"keyId": in.KeyID, "keyUsage": in.Usage, "caName": in.CAName}
	if in.MemberID != "" {
		data["memberId"] = in.MemberID
	}
	req, err := s.planCSR(ctx, in)
	if err != nil {
		return nil, s.failed(ctx, evGenerateCSR, data, err)
	}
	req.auditData(data)
	sg, err := s.signerFor(req.key, req.key.Edges.Token)
	if err != nil {
		return nil, s.failed(ctx, evGenerateCSR, data, err)
	}
	der, err := req.sign(sg)
	if err != nil {
		return nil, s.failed(ctx, evGenerateCSR, data, err)
	}
	sys := system(ctx)
	var csr *ent.CertificateSigningRequest
	err = db.WithTx(sys, s.client, func(tx *ent.Tx) error {
		if req.key.Usage == nil {
			if err := tx.Key.UpdateOneID(req.key.ID).SetUsage(in.Usage).Exec(sys); err != nil {
				return err
			}
		}
		if csr, err = tx.CertificateSigningRequest.Create().SetKeyID(req.key.ID).SetUsage(in.Usage).
			SetMemberID(req.member.String()).SetCaName(req.ca.Name).SetSubject(pki.DN(req.content.Subject)).
			SetDer(der).Save(sys); err != nil {
			return err
		}
		record(ctx, tx.Client(), evGenerateCSR, data)
		return nil
	})
	if err != nil {
		return nil, s.failed(ctx, evGenerateCSR, data, err)
	}
	return csr.Unwrap(), nil // created in the transaction: detach it from it
}

// csrPlan is a checked CSR request.
type csrPlan struct {
	key     *ent.Key
	usage   xroad.KeyUsage
	member  xroad.ClientID
	ca      *globalconf.ApprovedCA
	profile pki.CertProfile
	content pki.CSRContent
}

// sign makes the CSR (DER) with the key's signer.
func (p csrPlan) sign(sg crypto.Signer) ([]byte, error) {
	der, err := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{
		Subject: p.content.Subject, DNSNames: p.content.DNSNames, IPAddresses: p.content.IPAddresses,
		SignatureAlgorithm: csrSignatureAlgorithm(p.key.Algorithm),
	}, sg)
	if err != nil {
		return nil, xroad.Errorf(xroad.CodeTokenOperationFailed, "Generate CSR failed: the key could not sign the request").Wrap(err)
	}
	return der, nil
}

// auditData records what the CSR names.
func (p csrPlan) auditData(data map[string]any) {
	data["keyId"], data["subject"] = p.key.KeyID, pki.DN(p.content.Subject)
	if names := p.content.AltNames(); len(names) > 0 {
		data["subjectAltName"] = strings.Join(names, ",")
	}
}

// planCSR runs the checks of UC-SS SS_29: key and its usage, possible action,
// member, CA, subject fields.
func (s *Service) planCSR(ctx context.Context, in CSRInput) (csrPlan, error) {
	sys := system(ctx)
	_, server, err := s.initialized(sys)
	if err != nil {
		return csrPlan{}, err
	}
	snap, err := s.currentConf()
	if err != nil {
		return csrPlan{}, err
	}
	p := csrPlan{usage: in.Usage}
	if p.key, err = s.keyRow(sys, in.KeyID); err != nil {
		return p, err
	}
	if u := p.key.Usage; u != nil && *u != in.Usage {
		return p, xroad.Errorf(xroad.CodeWrongKeyUsage, "Key %q is %s key; it cannot get %s CSR",
			KeyName(p.key), usageArticle(*u), usageArticle(in.Usage))
	}
	if err := s.csrPossible(sys, p.key, in.Usage); err != nil {
		return p, err
	}
	if p.member, err = s.csrMember(sys, in, server); err != nil {
		return p, err
	}
	if p.ca, err = approvedCA(snap, in.CAName, in.Usage); err != nil {
		return p, err
	}
	if p.profile, err = pki.ProfileFor(p.ca.CertificateProfileInfo); err != nil {
		return p, err
	}
	if _, sanOnly := p.profile.(pki.SANOnlyProfile); sanOnly && in.Usage == xroad.UsageSigning && p.member != server.Owner {
		return p, xroad.BadInput("memberId",
			"Certification authority %q issues SAN-only certificates, whose signing certificates belong to the owner of the security server (%s); pick the owner or another CA for member %s",
			p.ca.Name, server.Owner, p.member)
	}
	params := s.profileParams(sys, snap, server, p.member)
	values, err := resolveSubject(p.profile.SubjectFields(in.Usage, params), in.SubjectFields)
	if err != nil {
		return p, err
	}
	p.content, err = p.profile.CSR(in.Usage, values, params)
	return p, err
}

// profileParams are what a CSR's fields are prefilled from: the member
// (and its name), the server code, and the server's address — registered
// in the configuration, else the one its registration was sent with.
func (s *Service) profileParams(ctx context.Context, snap *globalconf.Snapshot, server xroad.ServerID, member xroad.ClientID) pki.ProfileParams {
	p := pki.ProfileParams{Instance: server.Owner.Instance, Member: member, ServerCode: server.ServerCode}
	p.MemberName, _ = snap.Shared.MemberName(member)
	if srv, ok := snap.Shared.SecurityServer(server); ok && srv.Address != "" {
		p.ServerAddress = srv.Address
	} else if c, err := s.client.Certificate.Query().Where(certificate.RegisteredAddressNotNil()).
		Order(ent.Desc(certificate.FieldCreatedAt)).First(ctx); err == nil {
		p.ServerAddress = *c.RegisteredAddress
	}
	return p
}

// csrPossible explains why the key cannot get a CSR of the usage, if so.
func (s *Service) csrPossible(ctx context.Context, k *ent.Key, usage xroad.KeyUsage) error {
	facts, err := s.keyFacts(ctx, k)
	if err != nil {
		return err
	}
	action := ActionGenerateSignCSR
	if usage == xroad.UsageAuthentication {
		action = ActionGenerateAuthCSR
	}
	if slices.Contains(keyActions(facts), action) {
		return nil
	}
	name := KeyName(k)
	switch {
	case usage == xroad.UsageAuthentication && !facts.SoftToken:
		return xroad.Errorf(xroad.CodeActionNotPossible, "Key %q is on a hardware token; authentication keys are supported on the software token only", name)
	case facts.HasCerts:
		return xroad.Errorf(xroad.CodeActionNotPossible, "Key %q already has a certificate; generate a new key for a new CSR", name)
	case !facts.Available:
		return xroad.Errorf(xroad.CodeActionNotPossible, "The token of key %q is not available", name)
	default:
		return xroad.Errorf(xroad.CodeActionNotPossible, "The token of key %q is not logged in; log in to it first", name)
	}
}

// csrMember is the member a CSR is for: the owner for authentication; for
// signing the given member, which must be the owner or a member client of
// this server.
func (s *Service) csrMember(ctx context.Context, in CSRInput, server xroad.ServerID) (xroad.ClientID, error) {
	if in.Usage == xroad.UsageAuthentication {
		return server.Owner, nil
	}
	if in.MemberID == "" {
		return xroad.ClientID{}, xroad.BadInput("memberId", "memberId (INSTANCE/CLASS/CODE) is required for a signing CSR")
	}
	id, err := xroad.ParseMemberID(in.MemberID)
	if err != nil {
		return id, xroad.BadInput("memberId", "memberId %q is not of the form INSTANCE/CLASS/CODE", in.MemberID)
	}
	if err := s.requireLocalMember(ctx, id, server); err != nil {
		return id, err
	}
	return id, nil
}

// requireLocalMember fails with CLIENT_NOT_FOUND unless id is the owner or
// a member with a client (itself or a subsystem) on this server.
func (s *Service) requireLocalMember(ctx context.Context, id xroad.ClientID, server xroad.ServerID) error {
	if id == server.Owner {
		return nil
	}
	ok, err := s.client.ServerClient.Query().Where(serverclient.Instance(id.Instance),
		serverclient.MemberClass(id.MemberClass), serverclient.MemberCode(id.MemberCode)).Exist(ctx)
	if err != nil {
		return err
	}
	if !ok {
		return xroad.Errorf(xroad.CodeClientNotFound,
			"Member '%s' is not a client of this security server; signing certificates are for the owner or a member client", id).
			WithMetadata(id.String())
	}
	return nil
}

// approvedCA finds the approved CA by name; signing certificates cannot come
// from a CA that issues authentication certificates only.
func approvedCA(snap *globalconf.Snapshot, name string, usage xroad.KeyUsage) (*globalconf.ApprovedCA, error) {
	ca, ok := snap.Shared.ApprovedCA(name)
	if !ok {
		return nil, xroad.Errorf(xroad.CodeCertificateAuthorityNotFound,
			"Certification authority %q is not approved in the global configuration; pick one of the approved CAs", name).WithMetadata(name)
	}
	if usage == xroad.UsageSigning && ca.AuthenticationOnly {
		return nil, xroad.Errorf(xroad.CodeCertificateAuthorityNotFound,
			"Certification authority %q issues authentication certificates only; pick another CA for signing certificates", name).WithMetadata(name)
	}
	return ca, nil
}

// resolveSubject merges the caller's values with the profile's fields:
// unknown or repeated fields, changed read-only fields, over-long values
// and missing required fields are INVALID_DISTINGUISHED_NAME. Values are
// trimmed; a field without a value takes the profile's default.
func resolveSubject(fields []pki.SubjectField, supplied []SubjectValue) (map[string]string, error) {
	known := map[string]pki.SubjectField{}
	var ids []string
	for _, f := range fields {
		known[f.ID] = f
		ids = append(ids, f.ID)
	}
	given := map[string]string{}
	seen := map[string]bool{}
	for _, v := range supplied {
		id, value := xroad.Trim(v.ID), xroad.Trim(v.Value)
		f, ok := known[id]
		switch {
		case !ok:
			return nil, invalidDN("Unknown parameter '%s'; the CA's profile has %s", id, strings.Join(ids, ", "))
		case seen[id]:
			return nil, invalidDN("Parameter '%s' is given more than once", id)
		case utf8.RuneCountInString(value) > xroad.MaxIdentifierPartLength:
			return nil, invalidDN("Parameter '%s' is longer than %d characters", id, xroad.MaxIdentifierPartLength)
		case f.ReadOnly && value != "" && value != f.DefaultValue:
			return nil, invalidDN("Parameter '%s' is read-only; it must be %q", id, f.DefaultValue)
		}
		seen[id], given[id] = true, value
	}
	out := map[string]string{}
	for _, f := range fields {
		v := given[f.ID]
		if v == "" {
			v = f.DefaultValue
		}
		if v == "" {
			if f.Required {
				return nil, invalidDN("Missing parameter '%s' (%s)", f.ID, f.Label)
			}
			continue
		}
		out[f.ID] = v
	}
	return out, nil
}

func invalidDN(format string, args ...any) *xroad.Error {
	return xroad.Errorf(xroad.CodeInvalidDistinguishedName, format, args...)
}

// csrSignatureAlgorithm is SHA-256 with the key's algorithm (X-Road's
// csr-signature-digest-algorithm).
func csrSignatureAlgorithm(alg xroad.KeyAlgorithm) x509.SignatureAlgorithm {
	if alg == xroad.AlgorithmEC {
		return x509.ECDSAWithSHA256
	}
	return x509.SHA256WithRSA
}

func usageArticle(u xroad.KeyUsage) string {
	if u == xroad.UsageAuthentication {
		return "an authentication"
	}
	return "a signing"
}

// CSRSubjectFields describes the subject a CSR for the CA and usage gets,
// prefilled for the member (signing) or this server (authentication).
func (s *Service) CSRSubjectFields(ctx context.Context, caName string, usage xroad.KeyUsage, memberID string) ([]pki.SubjectField, error) {
	if err := viewer.Require(ctx, csrPermission(usage)); err != nil {
		return nil, err
	}
	sys := system(ctx)
	_, server, err := s.initialized(sys)
	if err != nil {
		return nil, err
	}
	snap, err := s.currentConf()
	if err != nil {
		return nil, err
	}
	ca, err := approvedCA(snap, xroad.Trim(caName), usage)
	if err != nil {
		return nil, err
	}
	profile, err := pki.ProfileFor(ca.CertificateProfileInfo)
	if err != nil {
		return nil, err
	}
	member := server.Owner
	if usage == xroad.UsageSigning {
		member = xroad.ClientID{}
		if xroad.Trim(memberID) != "" {
			if member, err = xroad.ParseMemberID(xroad.Trim(memberID)); err != nil {
				return nil, xroad.BadInput("memberId", "memberId %q is not of the form INSTANCE/CLASS/CODE", memberID)
			}
		}
	}
	return profile.SubjectFields(usage, s.profileParams(sys, snap, server, member)), nil
}

// CSRFileName is the file name X-Road gives a CSR:
// <usage>_csr_<yyyymmdd>_<id>.pem|der.
func (s *Service) CSRFileName(ctx context.Context, csr *ent.CertificateSigningRequest, format string) (string, error) {
	_, server, err := s.initialized(system(ctx))
	if err != nil {
		return "", err
	}
	return csrFileName(csr.Usage, csr.CreatedAt, server, xroad.Deref(csr.MemberID), format), nil
}

// csrFileName names a CSR file: the id is securityserver_<instance>_<class>
// _<code>_<serverCode> for authentication and member_<instance>_<class>
// _<code> for signing CSRs; the date is the CSR's (UTC).
func csrFileName(usage xroad.KeyUsage, created time.Time, server xroad.ServerID, memberID, format string) string {
	prefix, id := "sign", "member_"+strings.ReplaceAll(memberID, "/", "_")
	if usage == xroad.UsageAuthentication {
		prefix, id = "auth", "securityserver_"+strings.ReplaceAll(server.String(), "/", "_")
	}
	ext := ".pem"
	if strings.EqualFold(format, FormatDER) {
		ext = ".der"
	}
	return prefix + "_csr_" + created.UTC().Format("20060102") + "_" + id + ext
}

// PEM encodes DER with the block type ("CERTIFICATE REQUEST", "CERTIFICATE").
func PEM(blockType string, der []byte) string {
	return string(pem.EncodeToMemory(&pem.Block{Type: blockType, Bytes: der}))
}
