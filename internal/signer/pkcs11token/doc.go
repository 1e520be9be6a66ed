// Package pkcs11token makes the tokens of a PKCS#11 module (an HSM, a smart
// card, SoftHSM2) available as signer.Token values. Keys are persistent,
// non-extractable token objects; signing happens on the token.
//
// PKCS#11 modules are C libraries, loaded through cgo (miekg/pkcs11). In a
// build without cgo (CGO_ENABLED=0) the package has no tokens: OpenModule
// returns ErrNoCgo.
package pkcs11token
