package graph

import (
	"context"
	"crypto/x509"
	"encoding/pem"

	"entgo.io/contrib/entgql"

	"github.com/roadreg/roadreg/ent"
	"github.com/roadreg/roadreg/graph/model"
	"github.com/roadreg/roadreg/internal/pki"
	"github.com/roadreg/roadreg/internal/viewer"
)

// cursor turns the contract's String cursor into ent's cursor (nil when
// absent; a malformed cursor becomes an empty one that matches nothing
// special and is reported by Paginate's validation).
func cursor(s *string) *entgql.Cursor[int] {
	if s == nil || *s == "" {
		return nil
	}
	c := &entgql.Cursor[int]{}
	if err := c.UnmarshalGQL(*s); err != nil {
		return &entgql.Cursor[int]{ID: -1}
	}
	return c
}

func orderOr[T any](o *T, def *T) *T {
	if o != nil {
		return o
	}
	return def
}

// serverInfo answers serverInfo. The instance identifier is public: it is in
// the configuration anchor, which is not secret, and in the global
// configuration a central server serves to anyone; the login page names
// the instance with it. The security server's own id is for logged-in
// callers only.
func (r *Resolver) serverInfo(ctx context.Context) (*model.ServerInfo, error) {
	info := &model.ServerInfo{Role: r.Role, Version: r.Version}
	loggedIn := viewer.FromContext(ctx) != nil
	switch r.Role {
	case viewer.Central:
		ci, err := r.Central.Info(ctx)
		if err != nil {
			return nil, err
		}
		info.Initialized = ci.Initialized
		if ci.Instance != "" {
			info.InstanceIdentifier = &ci.Instance
		}
	case viewer.Security:
		si, err := r.Security.Info(ctx)
		if err != nil {
			return nil, err
		}
		info.Initialized = si.Initialized
		if si.Instance != "" {
			info.InstanceIdentifier = &si.Instance
		}
		if loggedIn && si.ServerID != nil {
			id := si.ServerID.String()
			info.SecurityServerID = &id
		}
	}
	return info, nil
}

var _ = ent.Noder(nil)

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// filters applies query filters one after the other: a connection's
// paginate options keep only the last filter given, so a where argument and
// the field's own arguments go in as one.
func filters[Q any](fs ...func(Q) (Q, error)) func(Q) (Q, error) {
	return func(q Q) (Q, error) {
		for _, f := range fs {
			var err error
			if q, err = f(q); err != nil {
				return q, err
			}
		}
		return q, nil
	}
}

// certPEM encodes DER as a PEM certificate.
func certPEM(der []byte) string {
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
}

// certDetails reads what the API shows of a certificate (nil for none).
func certDetails(der []byte) (*model.CertificateDetails, error) {
	if len(der) == 0 {
		return nil, nil
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	d := pki.Describe(c)
	out := &model.CertificateDetails{
		Subject: d.Subject, Issuer: d.Issuer, SerialNumber: d.SerialNumber, NotBefore: d.NotBefore, NotAfter: d.NotAfter,
		Sha256: d.SHA256, Pem: certPEM(der), SubjectCommonName: optional(d.SubjectCommonName), IssuerCommonName: optional(d.IssuerCommonName),
		Version: d.Version, SignatureAlgorithm: d.SignatureAlgorithm, Signature: d.Signature, PublicKeyAlgorithm: d.PublicKeyAlgorithm,
		EcCurve: optional(d.ECCurve), KeyUsages: d.KeyUsages, ExtendedKeyUsages: d.ExtendedKeyUsages,
		SubjectAlternativeNames: d.SubjectAlternativeNames, Sha1: d.SHA1, OcspResponderUrls: d.OCSPResponderURLs,
		AuthorityKeyID: optional(d.AuthorityKeyID), SubjectKeyID: optional(d.SubjectKeyID), Extensions: []*model.CertificateExtension{},
	}
	if d.PublicKeySize > 0 {
		out.PublicKeySize = &d.PublicKeySize
	}
	for _, e := range d.Extensions {
		out.Extensions = append(out.Extensions, &model.CertificateExtension{Oid: e.OID, Name: optional(e.Name), Critical: e.Critical, Value: e.Value})
	}
	return out, nil
}
