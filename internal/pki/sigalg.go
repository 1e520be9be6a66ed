package pki

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

// SignatureScheme is how a signature algorithm uses its key.
type SignatureScheme int

// The schemes X-Road signs with.
const (
	SchemeRSAPKCS1v15 SignatureScheme = iota
	// SchemeRSAPSS is RSASSA-PSS with MGF1 over the message hash and a salt
	// as long as the hash, as X-Road signs.
	SchemeRSAPSS
	// SchemeECDSA signatures are ASN.1 DER.
	SchemeECDSA
)

// SignatureAlgorithm is one signature algorithm X-Road uses, under both of
// its names: the JCA name management requests carry (PR-MSERV,
// signature-algorithm-id) and the XML-DSig URI of configuration directories
// (PR-GCONF, Signature-Algorithm-Id).
type SignatureAlgorithm struct {
	JCA    string
	URI    string
	Hash   crypto.Hash
	Scheme SignatureScheme
}

// SignatureAlgorithms is the one table of the signature algorithms Roadreg
// signs and verifies with.
var SignatureAlgorithms = []SignatureAlgorithm{
	{"SHA256withRSA", "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256", crypto.SHA256, SchemeRSAPKCS1v15},
	{"SHA384withRSA", "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384", crypto.SHA384, SchemeRSAPKCS1v15},
	{"SHA512withRSA", "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512", crypto.SHA512, SchemeRSAPKCS1v15},
	{"SHA256withRSAandMGF1", "http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1", crypto.SHA256, SchemeRSAPSS},
	{"SHA384withRSAandMGF1", "http://www.w3.org/2007/05/xmldsig-more#sha384-rsa-MGF1", crypto.SHA384, SchemeRSAPSS},
	{"SHA512withRSAandMGF1", "http://www.w3.org/2007/05/xmldsig-more#sha512-rsa-MGF1", crypto.SHA512, SchemeRSAPSS},
	{"SHA256withECDSA", "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256", crypto.SHA256, SchemeECDSA},
	{"SHA384withECDSA", "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384", crypto.SHA384, SchemeECDSA},
	{"SHA512withECDSA", "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512", crypto.SHA512, SchemeECDSA},
}

// SignatureAlgorithmByJCA finds an algorithm by its JCA name.
func SignatureAlgorithmByJCA(name string) (SignatureAlgorithm, bool) {
	for _, a := range SignatureAlgorithms {
		if a.JCA == name {
			return a, true
		}
	}
	return SignatureAlgorithm{}, false
}

// SignatureAlgorithmByURI finds an algorithm by its XML-DSig URI.
func SignatureAlgorithmByURI(uri string) (SignatureAlgorithm, bool) {
	for _, a := range SignatureAlgorithms {
		if a.URI == uri {
			return a, true
		}
	}
	return SignatureAlgorithm{}, false
}

// SignatureAlgorithmJCANames lists the JCA names, sorted, for messages.
func SignatureAlgorithmJCANames() string {
	names := make([]string, len(SignatureAlgorithms))
	for i, a := range SignatureAlgorithms {
		names[i] = a.JCA
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

// SignatureAlgorithmFor picks the algorithm for a public key and hash; pss
// asks for RSASSA-PSS (RSA keys only).
func SignatureAlgorithmFor(pub crypto.PublicKey, hash crypto.Hash, pss bool) (SignatureAlgorithm, error) {
	var scheme SignatureScheme
	switch pub.(type) {
	case *rsa.PublicKey:
		scheme = SchemeRSAPKCS1v15
		if pss {
			scheme = SchemeRSAPSS
		}
	case *ecdsa.PublicKey:
		if pss {
			return SignatureAlgorithm{}, errors.New("RSA-PSS was requested for an EC key")
		}
		scheme = SchemeECDSA
	default:
		return SignatureAlgorithm{}, fmt.Errorf("keys of type %T are not supported; use an RSA or EC key", pub)
	}
	for _, a := range SignatureAlgorithms {
		if a.Scheme == scheme && a.Hash == hash {
			return a, nil
		}
	}
	return SignatureAlgorithm{}, fmt.Errorf("digest %v is not supported; use SHA-256, SHA-384 or SHA-512", hash)
}

// SignerOpts are the options crypto.Signer.Sign takes for the algorithm.
func (a SignatureAlgorithm) SignerOpts() crypto.SignerOpts {
	if a.Scheme == SchemeRSAPSS {
		return &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash, Hash: a.Hash}
	}
	return a.Hash
}

// Digest hashes data with the algorithm's hash.
func (a SignatureAlgorithm) Digest(data []byte) []byte {
	h := a.Hash.New()
	h.Write(data)
	return h.Sum(nil)
}

// Sign signs data with key.
func (a SignatureAlgorithm) Sign(key crypto.Signer, data []byte) ([]byte, error) {
	return key.Sign(rand.Reader, a.Digest(data), a.SignerOpts())
}

// Verify checks sig over data with pub; an RSA-PSS signature must have a
// salt as long as the hash.
func (a SignatureAlgorithm) Verify(pub crypto.PublicKey, data, sig []byte) error {
	d := a.Digest(data)
	switch k := pub.(type) {
	case *rsa.PublicKey:
		switch a.Scheme {
		case SchemeRSAPKCS1v15:
			return rsa.VerifyPKCS1v15(k, a.Hash, d, sig)
		case SchemeRSAPSS:
			return rsa.VerifyPSS(k, a.Hash, d, sig, &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash, Hash: a.Hash})
		}
	case *ecdsa.PublicKey:
		if a.Scheme == SchemeECDSA {
			if !ecdsa.VerifyASN1(k, d, sig) {
				return errors.New("ECDSA signature does not verify")
			}
			return nil
		}
	}
	return fmt.Errorf("algorithm %s does not fit a %T key", a.JCA, pub)
}
