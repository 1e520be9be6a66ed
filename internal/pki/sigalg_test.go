package pki

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/roadreg/roadreg/internal/testenv"
)

// TestSignatureAlgorithms signs and verifies with every algorithm of the
// table, finds each by both of its names, checks that RSA-PSS salts are as
// long as the hash (X-Road's choice; a longer salt is refused), and has
// openssl verify every signature independently.
func TestSignatureAlgorithms(t *testing.T) {
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	ecKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	data := []byte("<SOAP-ENV:Envelope>signed data</SOAP-ENV:Envelope>")
	if len(SignatureAlgorithms) != 9 {
		t.Fatalf("%d algorithms, want 9 (SHA-256/384/512 × RSA, RSA-PSS, ECDSA)", len(SignatureAlgorithms))
	}
	for _, alg := range SignatureAlgorithms {
		t.Run(alg.JCA, func(t *testing.T) {
			var key crypto.Signer = rsaKey
			if alg.Scheme == SchemeECDSA {
				key = ecKey
			}
			if a, ok := SignatureAlgorithmByJCA(alg.JCA); !ok || a != alg {
				t.Errorf("by JCA name: %+v, %v", a, ok)
			}
			if a, ok := SignatureAlgorithmByURI(alg.URI); !ok || a != alg {
				t.Errorf("by URI: %+v, %v", a, ok)
			}
			if a, err := SignatureAlgorithmFor(key.Public(), alg.Hash, alg.Scheme == SchemeRSAPSS); err != nil || a != alg {
				t.Errorf("for key and hash: %+v, %v", a, err)
			}
			sig, err := alg.Sign(key, data)
			if err != nil {
				t.Fatal(err)
			}
			if err := alg.Verify(key.Public(), data, sig); err != nil {
				t.Errorf("own signature: %v", err)
			}
			if err := alg.Verify(key.Public(), append([]byte("x"), data...), sig); err == nil {
				t.Error("signature verifies over other data")
			}
			other := SchemeECDSA
			if alg.Scheme == SchemeECDSA {
				other = SchemeRSAPKCS1v15
			}
			for _, b := range SignatureAlgorithms {
				if b.Scheme == other && b.Hash == alg.Hash {
					if err := b.Verify(key.Public(), data, sig); err == nil {
						t.Errorf("%s signature verifies as %s", alg.JCA, b.JCA)
					}
				}
			}
			if alg.Scheme == SchemeRSAPSS {
				exact := &rsa.PSSOptions{SaltLength: alg.Hash.Size(), Hash: alg.Hash}
				if err := rsa.VerifyPSS(&rsaKey.PublicKey, alg.Hash, alg.Digest(data), sig, exact); err != nil {
					t.Errorf("the salt is not %d bytes (the hash's length): %v", alg.Hash.Size(), err)
				}
				long, err := rsaKey.Sign(rand.Reader, alg.Digest(data), &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthAuto, Hash: alg.Hash})
				if err != nil {
					t.Fatal(err)
				}
				if err := alg.Verify(key.Public(), data, long); err == nil {
					t.Error("a signature with a salt longer than the hash verifies")
				}
			}
			t.Run("openssl", func(t *testing.T) {
				opensslVerify(t, alg, key.Public(), data, sig)
			})
		})
	}
	for _, name := range []string{"SHA1withRSA", "MD5withRSA", ""} {
		if _, ok := SignatureAlgorithmByJCA(name); ok {
			t.Errorf("%q is accepted", name)
		}
	}
	if _, err := SignatureAlgorithmFor(ecKey.Public(), crypto.SHA256, true); err == nil {
		t.Error("RSA-PSS for an EC key")
	}
	if _, err := SignatureAlgorithmFor(rsaKey.Public(), crypto.SHA1, false); err == nil || !strings.Contains(err.Error(), "SHA-256") {
		t.Errorf("SHA-1: %v", err)
	}
}

// opensslVerify checks sig with `openssl dgst -verify` (PSS: MGF1 over the
// same hash, salt as long as the digest).
func opensslVerify(t *testing.T, alg SignatureAlgorithm, pub crypto.PublicKey, data, sig []byte) {
	t.Helper()
	openssl := testenv.NeedTool(t, "openssl")
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	md := strings.ToLower(strings.TrimPrefix(alg.Hash.String(), "SHA-"))
	args := []string{"dgst", "-sha" + md, "-verify", write("pub.pem", pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))}
	if alg.Scheme == SchemeRSAPSS {
		args = append(args, "-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:digest", "-sigopt", "rsa_mgf1_md:sha"+md)
	}
	args = append(args, "-signature", write("sig", sig), write("data", data))
	if out, err := exec.Command(openssl, args...).CombinedOutput(); err != nil {
		t.Errorf("openssl %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}
