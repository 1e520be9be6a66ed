package softtoken

import (
	"bytes"
	"crypto"
	"crypto/rand"
	"crypto/sha256"
	"testing"

	"github.com/roadreg/roadreg/internal/xroad"
)

func key32(t *testing.T) []byte {
	t.Helper()
	k := make([]byte, 32)
	if _, err := rand.Read(k); err != nil {
		t.Fatal(err)
	}
	return k
}

// A login sealed by one process opens in another that holds the same key
// and the same token state: that one signs without the PIN.
func TestSealedLoginSignsInAnotherProcess(t *testing.T) {
	tok, f := loggedIn(t)
	key := key32(t)
	sealed, err := tok.SealLogin(key)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(sealed, tok.dataKey) {
		t.Fatal("the sealed login holds the data key in the clear")
	}
	other := New(f.state)
	if err := other.LoginSealed(key, sealed); err != nil {
		t.Fatalf("LoginSealed: %v", err)
	}
	sg, err := other.Signer(f.ecKey)
	if err != nil {
		t.Fatal(err)
	}
	digest := sha256.Sum256([]byte("configuration"))
	if _, err := sg.Sign(rand.Reader, digest[:], crypto.SHA256); err != nil {
		t.Fatalf("signing after the sealed login: %v", err)
	}
	if other.State().FailedLogins != 0 {
		t.Error("the sealed login counted as a PIN")
	}
}

func TestSealedLoginRefusals(t *testing.T) {
	tok, f := loggedIn(t)
	key := key32(t)
	sealed, err := tok.SealLogin(key)
	if err != nil {
		t.Fatal(err)
	}
	otherToken, err := InitializeWith(testPIN, testKDF) // same PIN, another token
	if err != nil {
		t.Fatal(err)
	}
	changed := New(f.state)
	if err := changed.ChangePIN(testPIN, "Another-PIN-77"); err != nil {
		t.Fatal(err)
	}
	tampered := bytes.Clone(sealed)
	tampered[len(tampered)-1] ^= 1
	for _, tt := range []struct {
		name   string
		state  State
		key    []byte
		sealed []byte
	}{
		{"another key", f.state, key32(t), sealed},
		{"another token", otherToken, key, sealed},
		{"after a PIN change", changed.State(), key, sealed},
		{"tampered", f.state, key, tampered},
		{"empty", f.state, key, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tok := New(tt.state)
			wantCode(t, tok.LoginSealed(tt.key, tt.sealed), xroad.CodeTokenOperationFailed)
			if tok.LoggedIn() {
				t.Error("logged in")
			}
		})
	}
	wantCode(t, New(f.state).LoginSealed(key, sealed), "")
	if _, err := New(f.state).SealLogin(key); xroad.CodeOf(err) != xroad.CodeTokenNotActive {
		t.Errorf("sealing the login of a logged-out token: %v", err)
	}
}
