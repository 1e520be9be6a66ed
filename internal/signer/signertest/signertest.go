// Package signertest holds checks shared by the tests of the token
// implementations: a crypto.Signer from any token must produce signatures
// that Go's own crypto packages verify.
package signertest

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"testing"
)

// CheckSigner signs SHA-256/384/512 digests with s in every scheme its key
// type allows (RSA PKCS#1 v1.5, RSA-PSS when withPSS, ECDSA) and verifies each
// signature with crypto/rsa or crypto/ecdsa. It also builds CSRs with
// x509.CreateCertificateRequest and verifies their signatures.
func CheckSigner(t *testing.T, s crypto.Signer, withPSS bool) {
	t.Helper()
	hashes := []crypto.Hash{crypto.SHA256, crypto.SHA384, crypto.SHA512}
	msg := []byte("roadreg signer test message")
	csrAlgs := []x509.SignatureAlgorithm{x509.UnknownSignatureAlgorithm} // Go's default for the key

	switch pub := s.Public().(type) {
	case *rsa.PublicKey:
		for _, h := range hashes {
			t.Run("PKCS1v15-"+h.String(), func(t *testing.T) {
				digest := hashOf(h, msg)
				sig, err := s.Sign(rand.Reader, digest, h)
				if err != nil {
					t.Fatalf("Sign: %v", err)
				}
				if err := rsa.VerifyPKCS1v15(pub, h, digest, sig); err != nil {
					t.Fatalf("VerifyPKCS1v15: %v", err)
				}
			})
		}
		csrAlgs = append(csrAlgs, x509.SHA512WithRSA)
		if withPSS {
			for _, h := range hashes {
				for salt, name := range map[int]string{rsa.PSSSaltLengthEqualsHash: "saltEqualsHash", rsa.PSSSaltLengthAuto: "saltAuto"} {
					t.Run(fmt.Sprintf("PSS-%s-%s", h, name), func(t *testing.T) {
						digest := hashOf(h, msg)
						opts := &rsa.PSSOptions{Hash: h, SaltLength: salt}
						sig, err := s.Sign(rand.Reader, digest, opts)
						if err != nil {
							t.Fatalf("Sign: %v", err)
						}
						if err := rsa.VerifyPSS(pub, h, digest, sig, opts); err != nil {
							t.Fatalf("VerifyPSS: %v", err)
						}
					})
				}
			}
			csrAlgs = append(csrAlgs, x509.SHA256WithRSAPSS)
		}
	case *ecdsa.PublicKey:
		for _, h := range hashes {
			t.Run("ECDSA-"+h.String(), func(t *testing.T) {
				digest := hashOf(h, msg)
				sig, err := s.Sign(rand.Reader, digest, h)
				if err != nil {
					t.Fatalf("Sign: %v", err)
				}
				if !ecdsa.VerifyASN1(pub, digest, sig) {
					t.Fatalf("VerifyASN1 failed for %d-byte signature %x", len(sig), sig)
				}
			})
		}
		csrAlgs = append(csrAlgs, x509.ECDSAWithSHA384)
	default:
		t.Fatalf("unexpected public key type %T", pub)
	}

	for _, alg := range csrAlgs {
		name := "CSR-" + alg.String()
		if alg == x509.UnknownSignatureAlgorithm {
			name = "CSR-default"
		}
		t.Run(name, func(t *testing.T) {
			tmpl := &x509.CertificateRequest{
				Subject:            pkix.Name{Country: []string{"DEV"}, CommonName: "roadreg-test"},
				SignatureAlgorithm: alg,
			}
			der, err := x509.CreateCertificateRequest(rand.Reader, tmpl, s)
			if err != nil {
				t.Fatalf("CreateCertificateRequest: %v", err)
			}
			csr, err := x509.ParseCertificateRequest(der)
			if err != nil {
				t.Fatalf("ParseCertificateRequest: %v", err)
			}
			if err := csr.CheckSignature(); err != nil {
				t.Fatalf("CSR signature (%v) does not verify: %v", csr.SignatureAlgorithm, err)
			}
		})
	}
}

func hashOf(h crypto.Hash, msg []byte) []byte {
	hh := h.New()
	hh.Write(msg)
	return hh.Sum(nil)
}
