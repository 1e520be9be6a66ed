//go:build cgo

package pkcs11token

import (
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/roadreg/roadreg/internal/xroad"
)

// TestDeleteKey deletes a key pair, and a certificate stored under its id,
// from a real SoftHSM2 token (UG-SS §5.7) and checks with pkcs11-tool, a
// separate process, that they are gone and the other key is not.
func TestDeleteKey(t *testing.T) {
	module := newSoftHSM(t, testLabel)
	m := openModule(t, module)
	tok := tokenByLabel(t, m, testLabel)
	if err := tok.Login(testPIN); err != nil {
		t.Fatal(err)
	}
	doomed, err := tok.GenerateKey(xroad.AlgorithmRSA, "doomed")
	if err != nil {
		t.Fatal(err)
	}
	kept, err := tok.GenerateKey(xroad.AlgorithmEC, "kept")
	if err != nil {
		t.Fatal(err)
	}
	// A certificate on the token with the doomed key's id, as other tools
	// store them.
	s, err := tok.Signer(doomed)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "doomed"},
		NotBefore: time.Now(), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, doomed.PublicKey, s)
	if err != nil {
		t.Fatal(err)
	}
	certFile := filepath.Join(t.TempDir(), "cert.der")
	if err := os.WriteFile(certFile, der, 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("pkcs11-tool", "--module", module, "--token-label", testLabel, "--login", "--pin", testPIN,
		"--write-object", certFile, "--type", "cert", "--id", doomed.ID, "--label", "doomed").CombinedOutput(); err != nil {
		t.Fatalf("pkcs11-tool --write-object: %v\n%s", err, out)
	}
	objectsWithID := func(id string) []string {
		var kinds []string
		for _, o := range listObjects(t, module, testLabel) {
			if strings.EqualFold(o.attrs["ID"], id) {
				kinds = append(kinds, o.kind)
			}
		}
		return kinds
	}
	if got := objectsWithID(doomed.ID); len(got) != 3 {
		t.Fatalf("before deletion the token holds %v with the key's id, want private key, public key and certificate", got)
	}

	if err := tok.DeleteKey(doomed.ID); err != nil {
		t.Fatalf("DeleteKey: %v", err)
	}
	if got := objectsWithID(doomed.ID); len(got) != 0 {
		t.Errorf("after deletion the token still holds %v", got)
	}
	if got := objectsWithID(kept.ID); len(got) != 2 {
		t.Errorf("the other key's objects are %v, want its private and public key", got)
	}
	_, err = tok.FindKey(doomed.ID)
	wantCode(t, err, xroad.CodeKeyNotFound)
	// Deleting it again finds nothing to delete.
	if err := tok.DeleteKey(doomed.ID); err != nil {
		t.Errorf("DeleteKey of a deleted key: %v", err)
	}
	wantCode(t, tok.DeleteKey("not hex"), xroad.CodeBadUserInput)
	if err := tok.Logout(); err != nil {
		t.Fatal(err)
	}
	wantCode(t, tok.DeleteKey(kept.ID), xroad.CodeTokenNotActive)
	if got := objectsWithID(kept.ID); len(got) != 2 {
		t.Errorf("a refused deletion changed the token: %v", got)
	}
}
