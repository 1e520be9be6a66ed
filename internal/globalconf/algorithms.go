package globalconf

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	_ "crypto/sha256" // register SHA-224/256
	_ "crypto/sha512" // register SHA-384/512
	"errors"
	"fmt"
)

// Hash algorithm ids (XML Encryption / XML-DSig URIs) used in directories.
const (
	HashSHA256 = "http://www.w3.org/2001/04/xmlenc#sha256"
	HashSHA384 = "http://www.w3.org/2001/04/xmldsig-more#sha384"
	HashSHA512 = "http://www.w3.org/2001/04/xmlenc#sha512"
)

// Signature algorithm ids (XML-DSig URIs) used in directories.
const (
	SigRSASHA256       = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
	SigRSASHA384       = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384"
	SigRSASHA512       = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512"
	SigRSAPSSSHA256    = "http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1"
	SigRSAPSSSHA384    = "http://www.w3.org/2007/05/xmldsig-more#sha384-rsa-MGF1"
	SigRSAPSSSHA512    = "http://www.w3.org/2007/05/xmldsig-more#sha512-rsa-MGF1"
	SigECDSASHA256     = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256"
	SigECDSASHA384     = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384"
	SigECDSASHA512     = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512"
	hashSHA224         = "http://www.w3.org/2001/04/xmldsig-more#sha224"
	defaultCertHashAlg = HashSHA512
)

var hashAlgorithms = map[string]crypto.Hash{
	hashSHA224: crypto.SHA224,
	HashSHA256: crypto.SHA256,
	HashSHA384: crypto.SHA384,
	HashSHA512: crypto.SHA512,
}

type keyKind int

const (
	kindRSA keyKind = iota
	kindRSAPSS
	kindECDSA
)

type sigAlgorithm struct {
	kind keyKind
	hash crypto.Hash
}

var sigAlgorithms = map[string]sigAlgorithm{
	SigRSASHA256:    {kindRSA, crypto.SHA256},
	SigRSASHA384:    {kindRSA, crypto.SHA384},
	SigRSASHA512:    {kindRSA, crypto.SHA512},
	SigRSAPSSSHA256: {kindRSAPSS, crypto.SHA256},
	SigRSAPSSSHA384: {kindRSAPSS, crypto.SHA384},
	SigRSAPSSSHA512: {kindRSAPSS, crypto.SHA512},
	SigECDSASHA256:  {kindECDSA, crypto.SHA256},
	SigECDSASHA384:  {kindECDSA, crypto.SHA384},
	SigECDSASHA512:  {kindECDSA, crypto.SHA512},
}

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
	d := digest(alg.hash, data)
	switch k := pub.(type) {
	case *rsa.PublicKey:
		switch alg.kind {
		case kindRSA:
			return rsa.VerifyPKCS1v15(k, alg.hash, d, sig)
		case kindRSAPSS:
			return rsa.VerifyPSS(k, alg.hash, d, sig, &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthAuto})
		}
	case *ecdsa.PublicKey:
		if alg.kind == kindECDSA {
			if !ecdsa.VerifyASN1(k, d, sig) {
				return errors.New("ECDSA signature does not verify")
			}
			return nil
		}
	}
	return fmt.Errorf("the certificate's %T does not fit the signature algorithm", pub)
}
