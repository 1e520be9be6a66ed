//go:build cgo

package pkcs11token

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/x509/pkix"
	"encoding/asn1"
	"fmt"
	"math/big"

	"github.com/miekg/pkcs11"

	"github.com/roadreg/roadreg/internal/xroad"
)

// Hash algorithms the RSA signer accepts, with their DigestInfo OIDs
// (RFC 8017 appendix A.2.4) and PKCS#11 hash and MGF1 mechanisms (for PSS).
var rsaHashes = map[crypto.Hash]struct {
	oid       asn1.ObjectIdentifier
	mech, mgf uint
}{
	crypto.SHA224: {asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 4}, pkcs11.CKM_SHA224, pkcs11.CKG_MGF1_SHA224},
	crypto.SHA256: {asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 1}, pkcs11.CKM_SHA256, pkcs11.CKG_MGF1_SHA256},
	crypto.SHA384: {asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 2}, pkcs11.CKM_SHA384, pkcs11.CKG_MGF1_SHA384},
	crypto.SHA512: {asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 3}, pkcs11.CKM_SHA512, pkcs11.CKG_MGF1_SHA512},
}

// digestInfo is the DER DigestInfo that PKCS#1 v1.5 signs (RFC 8017 §9.2).
type digestInfo struct {
	Algorithm pkix.AlgorithmIdentifier
	Digest    []byte
}

// signMechanism chooses the PKCS#11 mechanism for signing digest with the
// key behind pub, and the bytes to hand to C_Sign.
func signMechanism(pub crypto.PublicKey, digest []byte, opts crypto.SignerOpts) (*pkcs11.Mechanism, []byte, error) {
	h := opts.HashFunc()
	if h != 0 && len(digest) != h.Size() {
		return nil, nil, signError("digest is %d bytes, %v needs %d", len(digest), h, h.Size())
	}
	switch pub := pub.(type) {
	case *rsa.PublicKey:
		if pss, ok := opts.(*rsa.PSSOptions); ok {
			return pssMechanism(pub, h, pss.SaltLength, digest)
		}
		if h == 0 { // pre-formatted input, as rsa.SignPKCS1v15 with hash 0
			return pkcs11.NewMechanism(pkcs11.CKM_RSA_PKCS, nil), digest, nil
		}
		alg, ok := rsaHashes[h]
		if !ok {
			return nil, nil, signError("hash %v is not supported for RSA", h)
		}
		di, err := asn1.Marshal(digestInfo{
			Algorithm: pkix.AlgorithmIdentifier{Algorithm: alg.oid, Parameters: asn1.NullRawValue},
			Digest:    digest,
		})
		if err != nil {
			return nil, nil, signError("cannot encode the digest: %v", err)
		}
		return pkcs11.NewMechanism(pkcs11.CKM_RSA_PKCS, nil), di, nil
	case *ecdsa.PublicKey:
		// CKM_ECDSA signs the hash as given; truncate it to the order's
		// length as crypto/ecdsa does (whole bytes suffice for the NIST
		// curves: P-256/P-384 orders are whole bytes, P-521's exceeds
		// every SHA-2 output).
		if n := (pub.Curve.Params().N.BitLen() + 7) / 8; len(digest) > n {
			digest = digest[:n]
		}
		return pkcs11.NewMechanism(pkcs11.CKM_ECDSA, nil), digest, nil
	}
	return nil, nil, signError("unsupported key type %T", pub)
}

// pssMechanism builds CKM_RSA_PKCS_PSS with MGF1 over the same hash. Salt
// lengths follow crypto/rsa: PSSSaltLengthAuto is the maximum,
// PSSSaltLengthEqualsHash the hash size.
func pssMechanism(pub *rsa.PublicKey, h crypto.Hash, saltLength int, digest []byte) (*pkcs11.Mechanism, []byte, error) {
	alg, ok := rsaHashes[h]
	if !ok {
		return nil, nil, signError("hash %v is not supported for RSA-PSS", h)
	}
	salt, err := pssSaltLength(pub.N.BitLen(), h.Size(), saltLength)
	if err != nil {
		return nil, nil, err
	}
	return pkcs11.NewMechanism(pkcs11.CKM_RSA_PKCS_PSS, pkcs11.NewPSSParams(alg.mech, alg.mgf, uint(salt))), digest, nil
}

func pssSaltLength(modBits, hashLen, saltLength int) (int, error) {
	maxSalt := (modBits-1+7)/8 - hashLen - 2
	switch {
	case saltLength == rsa.PSSSaltLengthAuto:
		saltLength = maxSalt
	case saltLength == rsa.PSSSaltLengthEqualsHash:
		saltLength = hashLen
	case saltLength < 0:
		return 0, signError("invalid PSS salt length %d", saltLength)
	}
	if saltLength > maxSalt || maxSalt < 0 {
		return 0, signError("PSS salt length %d is too long for the key", saltLength)
	}
	return saltLength, nil
}

// finishSignature converts the token's output to Go's formats: ECDSA r‖s
// becomes an ASN.1 SEQUENCE of two INTEGERs, as crypto/ecdsa produces.
func finishSignature(pub crypto.PublicKey, sig []byte) ([]byte, error) {
	ec, ok := pub.(*ecdsa.PublicKey)
	if !ok {
		return sig, nil
	}
	n := (ec.Curve.Params().N.BitLen() + 7) / 8
	if len(sig) != 2*n {
		return nil, xroad.Errorf(xroad.CodeTokenOperationFailed, "The token returned a %d-byte ECDSA signature, expected %d bytes", len(sig), 2*n)
	}
	return asn1.Marshal(struct{ R, S *big.Int }{
		new(big.Int).SetBytes(sig[:n]),
		new(big.Int).SetBytes(sig[n:]),
	})
}

func signError(format string, args ...any) *xroad.Error {
	return xroad.Errorf(xroad.CodeInternal, "Cannot sign: %s", fmt.Sprintf(format, args...))
}
