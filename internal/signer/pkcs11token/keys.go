//go:build cgo

package pkcs11token

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"encoding/asn1"
	"encoding/binary"
	"errors"
	"fmt"
	"math/big"

	"github.com/miekg/pkcs11"

	"github.com/roadreg/roadreg/internal/signer"
	"github.com/roadreg/roadreg/internal/xroad"
)

var errUnsupportedKey = errors.New("unsupported key type")

// Named curves by their object identifiers (RFC 5480).
var curveOIDs = []struct {
	oid   asn1.ObjectIdentifier
	curve elliptic.Curve
}{
	{asn1.ObjectIdentifier{1, 2, 840, 10045, 3, 1, 7}, elliptic.P256()},
	{asn1.ObjectIdentifier{1, 3, 132, 0, 34}, elliptic.P384()},
	{asn1.ObjectIdentifier{1, 3, 132, 0, 35}, elliptic.P521()},
}

// keyPairTemplates returns the generation mechanism and the public and
// private key templates for a persistent key pair.
func keyPairTemplates(alg xroad.KeyAlgorithm, id []byte, label string) (mech uint, pub, priv []*pkcs11.Attribute) {
	common := func(class uint) []*pkcs11.Attribute {
		return []*pkcs11.Attribute{
			pkcs11.NewAttribute(pkcs11.CKA_CLASS, class),
			pkcs11.NewAttribute(pkcs11.CKA_TOKEN, true),
			pkcs11.NewAttribute(pkcs11.CKA_ID, id),
			pkcs11.NewAttribute(pkcs11.CKA_LABEL, label),
		}
	}
	pub = append(common(pkcs11.CKO_PUBLIC_KEY),
		pkcs11.NewAttribute(pkcs11.CKA_PRIVATE, false),
		pkcs11.NewAttribute(pkcs11.CKA_VERIFY, true),
	)
	priv = append(common(pkcs11.CKO_PRIVATE_KEY),
		pkcs11.NewAttribute(pkcs11.CKA_PRIVATE, true),
		pkcs11.NewAttribute(pkcs11.CKA_SENSITIVE, true),
		pkcs11.NewAttribute(pkcs11.CKA_EXTRACTABLE, false),
		pkcs11.NewAttribute(pkcs11.CKA_SIGN, true),
	)
	if alg == xroad.AlgorithmRSA {
		pub = append(pub,
			pkcs11.NewAttribute(pkcs11.CKA_KEY_TYPE, pkcs11.CKK_RSA),
			pkcs11.NewAttribute(pkcs11.CKA_MODULUS_BITS, signer.RSAKeyBits),
			pkcs11.NewAttribute(pkcs11.CKA_PUBLIC_EXPONENT, big.NewInt(65537).Bytes()),
		)
		priv = append(priv, pkcs11.NewAttribute(pkcs11.CKA_KEY_TYPE, pkcs11.CKK_RSA))
		return pkcs11.CKM_RSA_PKCS_KEY_PAIR_GEN, pub, priv
	}
	params, _ := asn1.Marshal(curveOIDs[0].oid) // P-256; marshalling a constant OID cannot fail
	pub = append(pub,
		pkcs11.NewAttribute(pkcs11.CKA_KEY_TYPE, pkcs11.CKK_EC),
		pkcs11.NewAttribute(pkcs11.CKA_EC_PARAMS, params),
	)
	priv = append(priv, pkcs11.NewAttribute(pkcs11.CKA_KEY_TYPE, pkcs11.CKK_EC))
	return pkcs11.CKM_EC_KEY_PAIR_GEN, pub, priv
}

// keyInfoLocked reads a public-key object into a KeyInfo. It returns
// errUnsupportedKey (wrapped) for keys that are not RSA or EC or have no id.
func (t *Token) keyInfoLocked(h pkcs11.ObjectHandle) (signer.KeyInfo, error) {
	attrs, err := t.ctx().GetAttributeValue(t.session, h, []*pkcs11.Attribute{
		pkcs11.NewAttribute(pkcs11.CKA_ID, nil),
		pkcs11.NewAttribute(pkcs11.CKA_LABEL, nil),
		pkcs11.NewAttribute(pkcs11.CKA_KEY_TYPE, nil),
	})
	if err != nil {
		return signer.KeyInfo{}, t.failLocked("read a key", err)
	}
	id, label, keyType := attrs[0].Value, string(attrs[1].Value), ulong(attrs[2].Value)
	if len(id) == 0 {
		return signer.KeyInfo{}, fmt.Errorf("key %q without CKA_ID: %w", label, errUnsupportedKey)
	}
	var pub crypto.PublicKey
	switch keyType {
	case pkcs11.CKK_RSA:
		pub, err = t.rsaPublicKeyLocked(h)
	case pkcs11.CKK_EC:
		pub, err = t.ecPublicKeyLocked(h)
	default:
		return signer.KeyInfo{}, fmt.Errorf("key type %#x: %w", keyType, errUnsupportedKey)
	}
	if err != nil {
		return signer.KeyInfo{}, err
	}
	alg, _ := signer.AlgorithmOf(pub) // RSA or EC by construction
	return signer.KeyInfo{ID: formatKeyID(id), Label: label, Algorithm: alg, PublicKey: pub}, nil
}

func (t *Token) rsaPublicKeyLocked(h pkcs11.ObjectHandle) (*rsa.PublicKey, error) {
	attrs, err := t.ctx().GetAttributeValue(t.session, h, []*pkcs11.Attribute{
		pkcs11.NewAttribute(pkcs11.CKA_MODULUS, nil),
		pkcs11.NewAttribute(pkcs11.CKA_PUBLIC_EXPONENT, nil),
	})
	if err != nil {
		return nil, t.failLocked("read an RSA public key", err)
	}
	e := new(big.Int).SetBytes(attrs[1].Value)
	if !e.IsInt64() || e.Int64() < 3 || e.Int64() > 1<<31-1 || len(attrs[0].Value) == 0 {
		return nil, xroad.Errorf(xroad.CodeTokenOperationFailed, "Token %q holds an RSA public key with unusable parameters", t.label)
	}
	return &rsa.PublicKey{N: new(big.Int).SetBytes(attrs[0].Value), E: int(e.Int64())}, nil
}

func (t *Token) ecPublicKeyLocked(h pkcs11.ObjectHandle) (*ecdsa.PublicKey, error) {
	attrs, err := t.ctx().GetAttributeValue(t.session, h, []*pkcs11.Attribute{
		pkcs11.NewAttribute(pkcs11.CKA_EC_PARAMS, nil),
		pkcs11.NewAttribute(pkcs11.CKA_EC_POINT, nil),
	})
	if err != nil {
		return nil, t.failLocked("read an EC public key", err)
	}
	pub, err := decodeECPublicKey(attrs[0].Value, attrs[1].Value)
	if err != nil {
		return nil, xroad.Errorf(xroad.CodeTokenOperationFailed, "Token %q holds an EC public key that cannot be read", t.label).Wrap(err)
	}
	return pub, nil
}

// decodeECPublicKey decodes CKA_EC_PARAMS (a named-curve OID) and
// CKA_EC_POINT (an OCTET STRING wrapping the uncompressed point; some
// modules return the bare point).
func decodeECPublicKey(params, point []byte) (*ecdsa.PublicKey, error) {
	var oid asn1.ObjectIdentifier
	if rest, err := asn1.Unmarshal(params, &oid); err != nil || len(rest) > 0 {
		return nil, fmt.Errorf("EC parameters are not a named curve")
	}
	var curve elliptic.Curve
	for _, c := range curveOIDs {
		if c.oid.Equal(oid) {
			curve = c.curve
		}
	}
	if curve == nil {
		return nil, fmt.Errorf("unsupported curve %v", oid)
	}
	var inner []byte
	if rest, err := asn1.Unmarshal(point, &inner); err == nil && len(rest) == 0 {
		if pub, err := ecdsa.ParseUncompressedPublicKey(curve, inner); err == nil {
			return pub, nil
		}
	}
	return ecdsa.ParseUncompressedPublicKey(curve, point)
}

// ulong decodes a CK_ULONG attribute value (native byte order).
func ulong(b []byte) uint {
	switch len(b) {
	case 8:
		return uint(binary.NativeEndian.Uint64(b))
	case 4:
		return uint(binary.NativeEndian.Uint32(b))
	}
	return ^uint(0)
}
