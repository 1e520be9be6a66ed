package mgmtreq

import (
	"crypto"
	"errors"

	"github.com/roadreg/roadreg/internal/pki"
)

// Management requests name their signature algorithms by JCA name
// (signature-algorithm-id); the algorithms are pki.SignatureAlgorithms.

// supportedAlgorithms lists the accepted ids, for messages.
func supportedAlgorithms() string { return pki.SignatureAlgorithmJCANames() }

// algorithmID names the algorithm for a public key, digest and (RSA only)
// padding.
func algorithmID(pub crypto.PublicKey, digest crypto.Hash, pss bool) (string, error) {
	alg, err := pki.SignatureAlgorithmFor(pub, digest, pss)
	return alg.JCA, err
}

// errUnsupportedAlgorithm tells an unknown algorithm id from a bad signature.
var errUnsupportedAlgorithm = errors.New("unsupported signature algorithm")

// sign signs data with key using the named algorithm.
func sign(key crypto.Signer, algID string, data []byte) ([]byte, error) {
	alg, ok := pki.SignatureAlgorithmByJCA(algID)
	if !ok {
		return nil, errUnsupportedAlgorithm
	}
	return alg.Sign(key, data)
}

// verifySignature checks sig over data with pub under the named algorithm.
// It returns errUnsupportedAlgorithm for an unknown id.
func verifySignature(pub crypto.PublicKey, algID string, data, sig []byte) error {
	alg, ok := pki.SignatureAlgorithmByJCA(algID)
	if !ok {
		return errUnsupportedAlgorithm
	}
	return alg.Verify(pub, data, sig)
}
