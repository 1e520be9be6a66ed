package mgmtreq

import (
	"crypto"
	"crypto/x509"
	"encoding/pem"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/roadreg/roadreg/internal/testenv"
)

// TestSignaturesVerifyWithOpenSSL checks that the signatures Build makes are
// the standard encodings X-Road's Java side expects, using openssl as an
// independent verifier (PSS: MGF1 with the same hash, salt as long as it).
func TestSignaturesVerifyWithOpenSSL(t *testing.T) {
	openssl := testenv.NeedTool(t, "openssl")
	f := sharedRSA()
	cases := []struct {
		name    string
		key     crypto.Signer
		digest  crypto.Hash
		dgstOpt string
		sigopts []string
	}{
		{"SHA512withRSA", f.rsaAuth, crypto.SHA512, "-sha512", nil},
		{"SHA256withRSAandMGF1", PSSSigner{f.rsaAuth}, crypto.SHA256, "-sha256", []string{"-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:digest", "-sigopt", "rsa_mgf1_md:sha256"}},
		{"SHA512withRSAandMGF1", PSSSigner{f.rsaAuth}, crypto.SHA512, "-sha512", []string{"-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:digest", "-sigopt", "rsa_mgf1_md:sha512"}},
		{"SHA512withECDSA", f.ecAuth, crypto.SHA512, "-sha512", nil},
		{"SHA256withECDSA", f.ecAuth, crypto.SHA256, "-sha256", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			key, alg, err := keyAlgorithm(c.key, "test", c.digest)
			if err != nil || alg != c.name {
				t.Fatalf("algorithm = %q, %v; want %s", alg, err, c.name)
			}
			data := requestSOAP(testRequest([]byte("cert")))
			sig, err := sign(key, alg, data)
			if err != nil {
				t.Fatal(err)
			}
			pub, err := x509.MarshalPKIXPublicKey(key.Public())
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
			args := append([]string{"dgst", c.dgstOpt, "-verify", write("pub.pem", pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pub}))}, c.sigopts...)
			args = append(args, "-signature", write("sig", sig), write("data", data))
			out, err := exec.Command(openssl, args...).CombinedOutput()
			if err != nil {
				t.Errorf("openssl: %v\n%s", err, out)
			}
		})
	}
}
