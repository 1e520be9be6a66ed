//go:build cgo

package pkcs11token

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/asn1"
	"math/big"
	"testing"

	"github.com/miekg/pkcs11"

	"github.com/roadreg/roadreg/internal/signer"
)

func TestStatusFromFlags(t *testing.T) {
	const ok = pkcs11.CKF_TOKEN_INITIALIZED | pkcs11.CKF_USER_PIN_INITIALIZED | pkcs11.CKF_LOGIN_REQUIRED
	tests := []struct {
		name                         string
		flags                        uint
		loginFailed, locked, expired bool
		want                         string
	}{
		{"healthy", ok, false, false, false, signer.StatusOK},
		{"last login failed", ok, true, false, false, signer.StatusPINIncorrect},
		{"count low", ok | pkcs11.CKF_USER_PIN_COUNT_LOW, true, false, false, signer.StatusPINCountLow},
		{"final try", ok | pkcs11.CKF_USER_PIN_COUNT_LOW | pkcs11.CKF_USER_PIN_FINAL_TRY, true, false, false, signer.StatusPINFinalTry},
		{"locked flag", ok | pkcs11.CKF_USER_PIN_LOCKED | pkcs11.CKF_USER_PIN_FINAL_TRY, true, false, false, signer.StatusPINLocked},
		{"locked by login result", ok, false, true, false, signer.StatusPINLocked},
		{"expired", ok, false, false, true, signer.StatusPINExpired},
		{"no user PIN", pkcs11.CKF_TOKEN_INITIALIZED, false, false, false, signer.StatusNotInitialized},
		{"SO-only flags ignored", ok | pkcs11.CKF_SO_PIN_LOCKED, false, false, false, signer.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := statusFromFlags(tt.flags, tt.loginFailed, tt.locked, tt.expired); got != tt.want {
				t.Errorf("statusFromFlags = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestDecodeECPublicKey(t *testing.T) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	point, err := key.PublicKey.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	wrapped, _ := asn1.Marshal(point)
	p256, _ := asn1.Marshal(asn1.ObjectIdentifier{1, 2, 840, 10045, 3, 1, 7})
	p384, _ := asn1.Marshal(asn1.ObjectIdentifier{1, 3, 132, 0, 34})
	secp256k1, _ := asn1.Marshal(asn1.ObjectIdentifier{1, 3, 132, 0, 10})
	tests := []struct {
		name          string
		params, point []byte
		wantErr       bool
	}{
		{"OCTET STRING wrapped point", p256, wrapped, false},
		{"bare point", p256, point, false},
		{"point of another curve", p384, wrapped, true},
		{"unsupported curve", secp256k1, wrapped, true},
		{"params not an OID", wrapped, wrapped, true},
		{"truncated point", p256, wrapped[:len(wrapped)-1], true},
		{"point not on curve", p256, append([]byte{4, 65, 4}, make([]byte, 64)...), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pub, err := decodeECPublicKey(tt.params, tt.point)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v", err, tt.wantErr)
			}
			if err == nil && !pub.Equal(&key.PublicKey) {
				t.Fatal("decoded another public key")
			}
		})
	}
}

func TestPSSSaltLength(t *testing.T) {
	tests := []struct {
		name             string
		modBits, hashLen int
		salt             int
		want             int
		wantErr          bool
	}{
		{"equals hash", 2048, 32, rsa.PSSSaltLengthEqualsHash, 32, false},
		{"auto is maximum", 2048, 32, rsa.PSSSaltLengthAuto, 256 - 32 - 2, false},
		{"auto, modulus one bit over", 2049, 64, rsa.PSSSaltLengthAuto, 256 - 64 - 2, false},
		{"auto, modulus two bits over", 2050, 64, rsa.PSSSaltLengthAuto, 257 - 64 - 2, false},
		{"explicit", 2048, 64, 20, 20, false},
		{"too long", 2048, 64, 200, 0, true},
		{"negative", 2048, 32, -5, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := pssSaltLength(tt.modBits, tt.hashLen, tt.salt)
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Fatalf("pssSaltLength = %d, %v; want %d, error %v", got, err, tt.want, tt.wantErr)
			}
		})
	}
}

func TestSignMechanism(t *testing.T) {
	ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	rsaPub := &rsa.PublicKey{N: new(big.Int).Lsh(big.NewInt(1), 2047), E: 65537}
	d32, d64 := make([]byte, 32), make([]byte, 64)
	tests := []struct {
		name      string
		pub       crypto.PublicKey
		digest    []byte
		opts      crypto.SignerOpts
		wantMech  uint
		wantInput int // length of the bytes handed to C_Sign
		wantErr   bool
	}{
		{"RSA SHA-256 DigestInfo", rsaPub, d32, crypto.SHA256, pkcs11.CKM_RSA_PKCS, 19 + 32, false},
		{"RSA SHA-512 DigestInfo", rsaPub, d64, crypto.SHA512, pkcs11.CKM_RSA_PKCS, 19 + 64, false},
		{"RSA raw", rsaPub, d32, crypto.Hash(0), pkcs11.CKM_RSA_PKCS, 32, false},
		{"RSA PSS", rsaPub, d32, &rsa.PSSOptions{Hash: crypto.SHA256}, pkcs11.CKM_RSA_PKCS_PSS, 32, false},
		{"RSA MD5 unsupported", rsaPub, make([]byte, 16), crypto.MD5, 0, 0, true},
		{"digest length mismatch", rsaPub, d32, crypto.SHA512, 0, 0, true},
		{"ECDSA SHA-256", &ec.PublicKey, d32, crypto.SHA256, pkcs11.CKM_ECDSA, 32, false},
		{"ECDSA SHA-512 truncated to P-256 order", &ec.PublicKey, d64, crypto.SHA512, pkcs11.CKM_ECDSA, 32, false},
		{"unsupported key", "not a key", d32, crypto.SHA256, 0, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mech, input, err := signMechanism(tt.pub, tt.digest, tt.opts)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v", err, tt.wantErr)
			}
			if err != nil {
				return
			}
			if mech.Mechanism != tt.wantMech || len(input) != tt.wantInput {
				t.Fatalf("mechanism %#x with %d input bytes, want %#x with %d", mech.Mechanism, len(input), tt.wantMech, tt.wantInput)
			}
		})
	}
}

func TestFinishSignatureECDSA(t *testing.T) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	digest := make([]byte, 32)
	r, s, err := ecdsa.Sign(rand.Reader, key, digest)
	if err != nil {
		t.Fatal(err)
	}
	raw := append(r.FillBytes(make([]byte, 32)), s.FillBytes(make([]byte, 32))...)
	der, err := finishSignature(&key.PublicKey, raw)
	if err != nil {
		t.Fatal(err)
	}
	if !ecdsa.VerifyASN1(&key.PublicKey, digest, der) {
		t.Fatal("converted signature does not verify")
	}
	if _, err := finishSignature(&key.PublicKey, raw[:63]); err == nil {
		t.Fatal("a 63-byte P-256 signature was accepted")
	}
}
