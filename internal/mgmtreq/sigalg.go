package mgmtreq

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/rsa"
	_ "crypto/sha256" // registers SHA-256 for crypto.Hash
	_ "crypto/sha512" // registers SHA-384 and SHA-512 for crypto.Hash
	"errors"
	"fmt"
	"sort"
	"strings"
)

// keyScheme is the signature scheme an algorithm id names.
type keyScheme int

const (
	schemeRSAPKCS1 keyScheme = iota
	schemeRSAPSS
	schemeECDSA
)

type sigAlgorithm struct {
	hash   crypto.Hash
	scheme keyScheme
}

// sigAlgorithms maps the JCA names X-Road writes into signature-algorithm-id
// to what they mean. RSAandMGF1 is RSASSA-PSS with MGF1 over the same hash and
// a salt as long as the hash; ECDSA signatures are ASN.1 DER.
var sigAlgorithms = map[string]sigAlgorithm{
	"SHA256withRSA":        {crypto.SHA256, schemeRSAPKCS1},
	"SHA384withRSA":        {crypto.SHA384, schemeRSAPKCS1},
	"SHA512withRSA":        {crypto.SHA512, schemeRSAPKCS1},
	"SHA256withRSAandMGF1": {crypto.SHA256, schemeRSAPSS},
	"SHA384withRSAandMGF1": {crypto.SHA384, schemeRSAPSS},
	"SHA512withRSAandMGF1": {crypto.SHA512, schemeRSAPSS},
	"SHA256withECDSA":      {crypto.SHA256, schemeECDSA},
	"SHA384withECDSA":      {crypto.SHA384, schemeECDSA},
	"SHA512withECDSA":      {crypto.SHA512, schemeECDSA},
}

// supportedAlgorithms lists the accepted ids, for messages.
func supportedAlgorithms() string {
	ids := make([]string, 0, len(sigAlgorithms))
	for id := range sigAlgorithms {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return strings.Join(ids, ", ")
}

var hashNames = map[crypto.Hash]string{crypto.SHA256: "SHA256", crypto.SHA384: "SHA384", crypto.SHA512: "SHA512"}

// algorithmID names the algorithm for a public key, digest and (RSA only)
// padding.
func algorithmID(pub crypto.PublicKey, digest crypto.Hash, pss bool) (string, error) {
	h, ok := hashNames[digest]
	if !ok {
		return "", fmt.Errorf("digest %v is not supported; use SHA-256, SHA-384 or SHA-512", digest)
	}
	switch pub.(type) {
	case *rsa.PublicKey:
		if pss {
			return h + "withRSAandMGF1", nil
		}
		return h + "withRSA", nil
	case *ecdsa.PublicKey:
		if pss {
			return "", errors.New("RSA-PSS was requested for an EC key")
		}
		return h + "withECDSA", nil
	}
	return "", fmt.Errorf("keys of type %T are not supported; use an RSA or EC key", pub)
}

func digestOf(h crypto.Hash, data []byte) []byte {
	d := h.New()
	d.Write(data)
	return d.Sum(nil)
}

// sign signs data with key using the named algorithm.
func sign(key crypto.Signer, algID string, data []byte) ([]byte, error) {
	alg := sigAlgorithms[algID]
	var opts crypto.SignerOpts = alg.hash
	if alg.scheme == schemeRSAPSS {
		opts = &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash, Hash: alg.hash}
	}
	return key.Sign(rand.Reader, digestOf(alg.hash, data), opts)
}

// errUnsupportedAlgorithm tells an unknown algorithm id from a bad signature.
var errUnsupportedAlgorithm = errors.New("unsupported signature algorithm")

// verifySignature checks sig over data with pub under the named algorithm.
// It returns errUnsupportedAlgorithm for an unknown id.
func verifySignature(pub crypto.PublicKey, algID string, data, sig []byte) error {
	alg, ok := sigAlgorithms[algID]
	if !ok {
		return errUnsupportedAlgorithm
	}
	digest := digestOf(alg.hash, data)
	switch k := pub.(type) {
	case *rsa.PublicKey:
		switch alg.scheme {
		case schemeRSAPKCS1:
			return rsa.VerifyPKCS1v15(k, alg.hash, digest, sig)
		case schemeRSAPSS:
			return rsa.VerifyPSS(k, alg.hash, digest, sig, &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash, Hash: alg.hash})
		}
	case *ecdsa.PublicKey:
		if alg.scheme == schemeECDSA && ecdsa.VerifyASN1(k, digest, sig) {
			return nil
		}
		return errors.New("ECDSA signature does not verify")
	}
	return fmt.Errorf("algorithm %s does not fit a %T key", algID, pub)
}
