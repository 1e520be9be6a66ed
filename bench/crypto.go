package bench

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha512"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"

	"github.com/roadreg/roadreg/internal/signer/softtoken"
)

// CryptoCost measures the pure cryptography a security server does for
// one registration, with the same algorithms and parameters: the software
// token's initialisation, which leaves it logged in (one argon2id key
// derivation), two key pairs (signing and authentication), two CSRs and
// the two signatures of the authCertReg request (SHA-512). alg is "EC"
// (P-256) or "RSA" (2048 bits); kdf is the software token's key
// derivation. Each operation's durations go to st.
func CryptoCost(alg string, kdf softtoken.KDFParams, st *Steps) error {
	if err := st.Do("software token init, logged in (argon2id)", func() error {
		_, err := softtoken.NewInitialized(SecurityPIN, kdf)
		return err
	}); err != nil {
		return err
	}
	body := make([]byte, 4096)
	for range 2 {
		var key crypto.Signer
		if err := st.Do("key pair", func() (err error) {
			key, err = generateKey(alg)
			return err
		}); err != nil {
			return err
		}
		if err := st.Do("CSR", func() error {
			_, err := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{
				Subject: pkix.Name{Country: []string{InstanceID}, Organization: []string{OwnerClass}, CommonName: "bench"}}, key)
			return err
		}); err != nil {
			return err
		}
		if err := st.Do("signature (SHA-512)", func() error {
			digest := sha512.Sum512(body)
			_, err := key.Sign(rand.Reader, digest[:], crypto.SHA512)
			return err
		}); err != nil {
			return err
		}
	}
	return nil
}

func generateKey(alg string) (crypto.Signer, error) {
	switch alg {
	case "EC":
		return ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	case "RSA":
		return rsa.GenerateKey(rand.Reader, 2048)
	}
	return nil, fmt.Errorf("unknown key algorithm %q", alg)
}
