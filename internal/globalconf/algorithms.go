package globalconf

import (
	"crypto"
	_ "crypto/sha256" // register SHA-224/256
	_ "crypto/sha512" // register SHA-384/512
	"fmt"

	"github.com/roadreg/roadreg/internal/pki"
)

// Hash algorithm ids (XML Encryption / XML-DSig URIs) used in directories.
const (
	HashSHA256 = "http://www.w3.org/2001/04/xmlenc#sha256"
	HashSHA384 = "http://www.w3.org/2001/04/xmldsig-more#sha384"
	HashSHA512 = "http://www.w3.org/2001/04/xmlenc#sha512"
)

const (
	hashSHA224         = "http://www.w3.org/2001/04/xmldsig-more#sha224"
	defaultCertHashAlg = HashSHA512
)

var hashAlgorithms = map[string]crypto.Hash{
	hashSHA224: crypto.SHA224,
	HashSHA256: crypto.SHA256,
	HashSHA384: crypto.SHA384,
	HashSHA512: crypto.SHA512,
}

// Directories name their signature algorithm by XML-DSig URI; the
// algorithms are pki.SignatureAlgorithms.
type sigAlgorithm = pki.SignatureAlgorithm

// sigAlgorithms are pki.SignatureAlgorithms by URI.
var sigAlgorithms = func() map[string]sigAlgorithm {
	m := make(map[string]sigAlgorithm, len(pki.SignatureAlgorithms))
	for _, a := range pki.SignatureAlgorithms {
		m[a.URI] = a
	}
	return m
}()

func hashByID(id string) (crypto.Hash, error) {
	h, ok := hashAlgorithms[id]
	if !ok {
		return 0, fmt.Errorf("%w: hash algorithm %q (supported: SHA-224/256/384/512 URIs)", ErrUnsupportedAlgorithm, id)
	}
	return h, nil
}

func digest(h crypto.Hash, data []byte) []byte {
	w := h.New()
	w.Write(data)
	return w.Sum(nil)
}

// verifySignature checks sig over data with pub under algorithm alg.
func verifySignature(pub crypto.PublicKey, alg sigAlgorithm, data, sig []byte) error {
	return alg.Verify(pub, data, sig)
}

// HashName is the common name of a directory's hash algorithm id
// ("SHA-512"), or the id itself when it is not one of the known URIs.
func HashName(id string) string {
	if h, ok := hashAlgorithms[id]; ok {
		return h.String()
	}
	return id
}
