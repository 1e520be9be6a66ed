package softtoken

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"math/big"
	"strings"
	"sync"
	"testing"

	"github.com/roadreg/roadreg/internal/signer"
	"github.com/roadreg/roadreg/internal/signer/signertest"
	"github.com/roadreg/roadreg/internal/xroad"
)

const testPIN = "Correct-Horse-42"

// testKDF keeps argon2 cheap; TestDefaultKDFParams covers the real ones.
var testKDF = KDFParams{Time: 1, MemoryKiB: 256, Threads: 1}

// fixture is one initialised token state with an RSA and an EC key, made
// once per test binary (RSA key generation is slow). Tests build fresh
// Tokens from it with New.
type fixture struct {
	state   State
	rsaKey  signer.KeyInfo
	ecKey   signer.KeyInfo
	initErr error
}

var sharedFixture = sync.OnceValue(func() fixture {
	var f fixture
	f.state, f.initErr = InitializeWith(testPIN, testKDF)
	if f.initErr != nil {
		return f
	}
	tok := New(f.state)
	if f.initErr = tok.Login(testPIN); f.initErr != nil {
		return f
	}
	if f.rsaKey, f.initErr = tok.GenerateKey(xroad.AlgorithmRSA, "rsa key"); f.initErr != nil {
		return f
	}
	f.ecKey, f.initErr = tok.GenerateKey(xroad.AlgorithmEC, "ec key")
	return f
})

func getFixture(t *testing.T) fixture {
	t.Helper()
	f := sharedFixture()
	if f.initErr != nil {
		t.Fatalf("fixture: %v", f.initErr)
	}
	return f
}

// loggedIn returns a fresh token from the fixture state, logged in.
func loggedIn(t *testing.T) (*Token, fixture) {
	t.Helper()
	f := getFixture(t)
	tok := New(f.state)
	if err := tok.Login(testPIN); err != nil {
		t.Fatalf("Login: %v", err)
	}
	return tok, f
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := xroad.CodeOf(err); got != code {
		t.Fatalf("error code = %q (%v), want %q", got, err, code)
	}
}

func TestIdentity(t *testing.T) {
	tok := New(getFixture(t).state)
	if tok.ID() != "0" || tok.Name() != "softToken-0" || tok.Type() != xroad.TokenSoftware {
		t.Fatalf("identity = %q %q %q, want 0 softToken-0 SOFTWARE", tok.ID(), tok.Name(), tok.Type())
	}
	if !tok.Available() {
		t.Error("initialised token is not available")
	}
}

func TestLogin(t *testing.T) {
	tests := []struct {
		name         string
		pin          string
		wantCode     string
		wantLoggedIn bool
		wantStatus   string
		wantFailures int
	}{
		{"right PIN", testPIN, "", true, signer.StatusOK, 0},
		{"wrong PIN", "Correct-Horse-43", xroad.CodePinIncorrect, false, signer.StatusPINIncorrect, 1},
		{"empty PIN", "", xroad.CodePinIncorrect, false, signer.StatusPINIncorrect, 1},
		{"PIN with trailing space", testPIN + " ", xroad.CodePinIncorrect, false, signer.StatusPINIncorrect, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tok := New(getFixture(t).state)
			wantCode(t, tok.Login(tt.pin), tt.wantCode)
			if tok.LoggedIn() != tt.wantLoggedIn {
				t.Errorf("LoggedIn = %v, want %v", tok.LoggedIn(), tt.wantLoggedIn)
			}
			if got := tok.Status(); got != tt.wantStatus {
				t.Errorf("Status = %s, want %s", got, tt.wantStatus)
			}
			if got := tok.State().FailedLogins; got != tt.wantFailures {
				t.Errorf("FailedLogins = %d, want %d", got, tt.wantFailures)
			}
		})
	}
}

func TestWrongPINWhileLoggedInKeepsSession(t *testing.T) {
	tok, _ := loggedIn(t)
	wantCode(t, tok.Login("nope"), xroad.CodePinIncorrect)
	if !tok.LoggedIn() {
		t.Fatal("a wrong PIN logged the token out")
	}
	wantCode(t, tok.Login(testPIN), "")
	if tok.Status() != signer.StatusOK {
		t.Fatalf("Status after right PIN = %s, want OK", tok.Status())
	}
}

func TestInitializeRejects(t *testing.T) {
	tests := []struct {
		name     string
		pin      string
		kdf      KDFParams
		wantCode string
	}{
		{"empty PIN", "", testKDF, xroad.CodeBadUserInput},
		{"non-ASCII PIN", "pinöö", testKDF, xroad.CodeBadUserInput},
		{"zero KDF params", testPIN, KDFParams{}, xroad.CodeInternal},
		{"absurd memory", testPIN, KDFParams{Time: 1, MemoryKiB: 1 << 30, Threads: 1}, xroad.CodeInternal},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := InitializeWith(tt.pin, tt.kdf)
			wantCode(t, err, tt.wantCode)
		})
	}
}

func TestDefaultKDFParams(t *testing.T) {
	st, err := Initialize("1234")
	if err != nil {
		t.Fatal(err)
	}
	if st.KDF != DefaultKDFParams() {
		t.Fatalf("KDF = %+v, want defaults %+v", st.KDF, DefaultKDFParams())
	}
	tok := New(st)
	wantCode(t, tok.Login("1235"), xroad.CodePinIncorrect)
	wantCode(t, tok.Login("1234"), "")
}

func TestParseKDFParams(t *testing.T) {
	for _, p := range []KDFParams{DefaultKDFParams(), {Time: 3, MemoryKiB: 64 * 1024, Threads: 4}} {
		got, err := ParseKDFParams(p.String())
		if err != nil || got != p {
			t.Errorf("ParseKDFParams(%q) = %+v, %v; want %+v", p.String(), got, err, p)
		}
	}
	if got, err := ParseKDFParams(" t=2, p=1 ,m=19456"); err != nil || got != (KDFParams{Time: 2, MemoryKiB: 19456, Threads: 1}) {
		t.Errorf("any order: %+v, %v", got, err)
	}
	for _, bad := range []string{"", "m=47104,t=1", "m=47104,t=1,p=1,m=1", "m=47104,t=1,p=x", "m=47104,t=1,q=1",
		"m=47104,t=0,p=1", "m=4,t=1,p=1", "m=47104,t=1,p=300", "m=4194304,t=1,p=1", "m=47104;t=1;p=1"} {
		if p, err := ParseKDFParams(bad); err == nil {
			t.Errorf("ParseKDFParams(%q) = %+v, want an error", bad, p)
		}
	}
}

// A token keeps the parameters it was made with: changing the defaults (or
// the operator's setting) must not lock existing tokens out.
func TestTokenKeepsItsKDF(t *testing.T) {
	old := KDFParams{Time: 2, MemoryKiB: 256, Threads: 2}
	st, err := InitializeWith(testPIN, old)
	if err != nil {
		t.Fatal(err)
	}
	b, err := st.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	var back State
	if err := back.UnmarshalBinary(b); err != nil {
		t.Fatal(err)
	}
	if back.KDF != old {
		t.Fatalf("stored KDF = %+v, want %+v", back.KDF, old)
	}
	tok := New(back)
	wantCode(t, tok.Login(testPIN+"x"), xroad.CodePinIncorrect)
	wantCode(t, tok.Login(testPIN), "")
}

func TestNotInitialized(t *testing.T) {
	tok := New(State{})
	if tok.Available() || tok.Status() != signer.StatusNotInitialized {
		t.Fatalf("Available=%v Status=%s, want false NOT_INITIALIZED", tok.Available(), tok.Status())
	}
	wantCode(t, tok.Login(testPIN), xroad.CodeNotInitialized)
}

func TestStateRoundTrip(t *testing.T) {
	f := getFixture(t)
	data, err := f.state.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	var st State
	if err := st.UnmarshalBinary(data); err != nil {
		t.Fatalf("UnmarshalBinary: %v", err)
	}
	tok := New(st)
	if err := tok.Login(testPIN); err != nil {
		t.Fatalf("Login with decoded state: %v", err)
	}
	if _, err := tok.Signer(f.ecKey); err != nil {
		t.Fatalf("Signer with decoded state: %v", err)
	}
}

func TestUnmarshalBinaryRejects(t *testing.T) {
	good, err := getFixture(t).state.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	edit := func(change func(m map[string]any)) []byte {
		var m map[string]any
		if err := json.Unmarshal(good, &m); err != nil {
			t.Fatal(err)
		}
		change(m)
		b, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	tests := []struct {
		name string
		data []byte
	}{
		{"not JSON", []byte("softtoken")},
		{"empty object", []byte("{}")},
		{"future version", edit(func(m map[string]any) { m["version"] = 2 })},
		{"short salt", edit(func(m map[string]any) { m["salt"] = "AAAA" })},
		{"short wrapped key", edit(func(m map[string]any) { m["wrapped_key"] = "AAAA" })},
		{"negative counter", edit(func(m map[string]any) { m["failed_logins"] = -1 })},
		{"huge argon2 memory", edit(func(m map[string]any) { m["kdf"].(map[string]any)["memory_kib"] = 1 << 31 })},
		{"zero argon2 time", edit(func(m map[string]any) { m["kdf"].(map[string]any)["time"] = 0 })},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var st State
			if err := st.UnmarshalBinary(tt.data); err == nil {
				t.Fatalf("UnmarshalBinary(%s) accepted a bad state", tt.data)
			}
		})
	}
}

func TestNoSecretsInStateOrOutput(t *testing.T) {
	tok, f := loggedIn(t)
	data, err := tok.State().MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(data, []byte(testPIN)) {
		t.Error("marshalled state contains the PIN")
	}
	if _, err := tok.Signer(f.rsaKey); err != nil {
		t.Fatal(err)
	}
	dataKeyHex := fmt.Sprintf("%x", tok.dataKey)
	for _, format := range []string{"%v", "%+v", "%#v", "%s"} {
		for name, v := range map[string]any{"token": tok, "state": tok.State()} {
			out := fmt.Sprintf(format, v)
			if strings.Contains(out, testPIN) || strings.Contains(out, dataKeyHex) || strings.Contains(out, fmt.Sprint(tok.dataKey)) {
				t.Errorf("fmt %s of %s leaks secrets: %s", format, name, out)
			}
		}
	}
	// Errors never carry the PIN either.
	if err := New(f.state).Login(testPIN + "x"); strings.Contains(err.Error(), testPIN) {
		t.Errorf("error %q contains the PIN", err)
	}
}

func TestBlobHidesPrivateKey(t *testing.T) {
	tok, f := loggedIn(t)
	for _, key := range []signer.KeyInfo{f.rsaKey, f.ecKey} {
		t.Run(string(key.Algorithm), func(t *testing.T) {
			if _, err := tok.Signer(key); err != nil {
				t.Fatal(err)
			}
			priv := tok.keys[key.ID]
			der, err := x509.MarshalPKCS8PrivateKey(priv)
			if err != nil {
				t.Fatal(err)
			}
			var scalar []byte
			switch k := priv.(type) {
			case *rsa.PrivateKey:
				scalar = k.D.Bytes()
			case *ecdsa.PrivateKey:
				if scalar, err = k.Bytes(); err != nil {
					t.Fatal(err)
				}
			}
			checks := map[string][]byte{
				"PKCS#8 DER":            der,
				"PKCS#8 DER prefix":     der[:32],
				"private scalar":        scalar,
				"private scalar prefix": scalar[:16],
				"PIN":                   []byte(testPIN),
				"data key":              tok.dataKey,
			}
			for name, secret := range checks {
				if bytes.Contains(key.Blob, secret) {
					t.Errorf("blob contains the %s", name)
				}
			}
		})
	}
}

func TestBlobBinding(t *testing.T) {
	f := getFixture(t)
	other, err := InitializeWith(testPIN, testKDF) // same PIN, another token
	if err != nil {
		t.Fatal(err)
	}
	swapped := f.ecKey
	swapped.ID = f.rsaKey.ID // the RSA key's id with the EC key's blob
	swapped.PublicKey, swapped.Algorithm = nil, ""
	tampered := f.ecKey
	tampered.Blob = bytes.Clone(f.ecKey.Blob)
	tampered.Blob[len(tampered.Blob)/2] ^= 1
	truncated := f.ecKey
	truncated.Blob = f.ecKey.Blob[:len(f.ecKey.Blob)-1]
	noBlob := f.ecKey
	noBlob.Blob = nil
	wrongPub := f.ecKey
	wrongPub.PublicKey = f.rsaKey.PublicKey
	wrongAlg := f.ecKey
	wrongAlg.Algorithm = xroad.AlgorithmRSA

	tests := []struct {
		name     string
		state    State
		key      signer.KeyInfo
		wantCode string
	}{
		{"own key", f.state, f.ecKey, ""},
		{"own key, only id and blob", f.state, signer.KeyInfo{ID: f.rsaKey.ID, Blob: f.rsaKey.Blob}, ""},
		{"other token with the same PIN", other, f.ecKey, xroad.CodeTokenOperationFailed},
		{"blob under another key id", f.state, swapped, xroad.CodeTokenOperationFailed},
		{"tampered blob", f.state, tampered, xroad.CodeTokenOperationFailed},
		{"truncated blob", f.state, truncated, xroad.CodeTokenOperationFailed},
		{"no blob", f.state, noBlob, xroad.CodeTokenOperationFailed},
		{"public key of another key", f.state, wrongPub, xroad.CodeTokenOperationFailed},
		{"wrong algorithm", f.state, wrongAlg, xroad.CodeTokenOperationFailed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tok := New(tt.state)
			if err := tok.Login(testPIN); err != nil {
				t.Fatal(err)
			}
			s, err := tok.Signer(tt.key)
			wantCode(t, err, tt.wantCode)
			if err == nil {
				digest := sha256.Sum256([]byte("x"))
				if _, err := s.Sign(rand.Reader, digest[:], crypto.SHA256); err != nil {
					t.Fatalf("Sign: %v", err)
				}
			}
		})
	}
}

func TestSigners(t *testing.T) {
	tok, f := loggedIn(t)
	for _, key := range []signer.KeyInfo{f.rsaKey, f.ecKey} {
		t.Run(string(key.Algorithm), func(t *testing.T) {
			s, err := tok.Signer(key)
			if err != nil {
				t.Fatal(err)
			}
			if alg, _ := signer.AlgorithmOf(s.Public()); alg != key.Algorithm {
				t.Fatalf("public key algorithm %s, want %s", alg, key.Algorithm)
			}
			signertest.CheckSigner(t, s, true)
		})
	}
}

func TestGeneratedKeySizes(t *testing.T) {
	f := getFixture(t)
	if n := f.rsaKey.PublicKey.(*rsa.PublicKey).N.BitLen(); n != 2048 {
		t.Errorf("RSA key has %d bits, want 2048", n)
	}
	if c := f.ecKey.PublicKey.(*ecdsa.PublicKey).Curve.Params().Name; c != "P-256" {
		t.Errorf("EC key on %s, want P-256", c)
	}
	if len(f.ecKey.ID) != 40 || strings.ToUpper(f.ecKey.ID) != f.ecKey.ID || f.ecKey.ID == f.rsaKey.ID {
		t.Errorf("key ids %q, %q: want distinct 40-char upper-case hex", f.ecKey.ID, f.rsaKey.ID)
	}
	if f.ecKey.Label != "ec key" || f.ecKey.Algorithm != xroad.AlgorithmEC {
		t.Errorf("KeyInfo = %q %q, want label %q algorithm EC", f.ecKey.Label, f.ecKey.Algorithm, "ec key")
	}
}

func TestGenerateKeyChecks(t *testing.T) {
	tok := New(getFixture(t).state)
	_, err := tok.GenerateKey(xroad.AlgorithmEC, "x")
	wantCode(t, err, xroad.CodeTokenNotActive)
	if err := tok.Login(testPIN); err != nil {
		t.Fatal(err)
	}
	_, err = tok.GenerateKey("DSA", "x")
	wantCode(t, err, xroad.CodeBadUserInput)
}

func TestLogoutForgetsKeys(t *testing.T) {
	tok, f := loggedIn(t)
	ecSigner, err := tok.Signer(f.ecKey)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tok.Signer(f.rsaKey); err != nil {
		t.Fatal(err)
	}
	// Keep references to the secrets to check they are overwritten.
	dataKey := tok.dataKey
	ecPriv := tok.keys[f.ecKey.ID].(*ecdsa.PrivateKey)
	rsaPriv := tok.keys[f.rsaKey.ID].(*rsa.PrivateKey)
	var secretWords [][]big.Word // the backing arrays of the secret numbers
	//lint:ignore SA1019 the test checks that logout overwrote the secret scalar
	for _, x := range append([]*big.Int{ecPriv.D, rsaPriv.D, rsaPriv.Precomputed.Dp, rsaPriv.Precomputed.Dq, rsaPriv.Precomputed.Qinv}, rsaPriv.Primes...) {
		if len(x.Bits()) == 0 {
			t.Fatal("secret number is already zero")
		}
		secretWords = append(secretWords, x.Bits())
	}

	if err := tok.Logout(); err != nil {
		t.Fatal(err)
	}
	if tok.LoggedIn() {
		t.Fatal("still logged in after Logout")
	}
	if tok.dataKey != nil || tok.keys != nil {
		t.Fatal("token still references key material after Logout")
	}
	if !allZero(dataKey) {
		t.Error("data key not zeroed on Logout")
	}
	for i, w := range secretWords {
		for _, v := range w {
			if v != 0 {
				t.Errorf("private number %d not zeroed on Logout", i)
				break
			}
		}
	}

	digest := sha256.Sum256([]byte("after logout"))
	_, err = ecSigner.Sign(rand.Reader, digest[:], crypto.SHA256)
	wantCode(t, err, xroad.CodeTokenNotActive)
	_, err = tok.Signer(f.ecKey)
	wantCode(t, err, xroad.CodeTokenNotActive)

	// After a new login the old signer works again (it re-decrypts the blob).
	if err := tok.Login(testPIN); err != nil {
		t.Fatal(err)
	}
	sig, err := ecSigner.Sign(rand.Reader, digest[:], crypto.SHA256)
	if err != nil {
		t.Fatalf("Sign after re-login: %v", err)
	}
	if !ecdsa.VerifyASN1(f.ecKey.PublicKey.(*ecdsa.PublicKey), digest[:], sig) {
		t.Fatal("signature after re-login does not verify")
	}
}

func TestChangePIN(t *testing.T) {
	f := getFixture(t)
	tok := New(f.state)
	const newPIN = "Battery-Staple-7"
	wantCode(t, tok.ChangePIN("wrong", newPIN), xroad.CodePinIncorrect)
	if tok.State().FailedLogins != 1 {
		t.Fatalf("wrong old PIN not counted")
	}
	wantCode(t, tok.ChangePIN(testPIN, "bad\x00pin"), xroad.CodeBadUserInput)
	wantCode(t, tok.ChangePIN(testPIN, newPIN), "")

	restarted := New(tok.State())
	wantCode(t, restarted.Login(testPIN), xroad.CodePinIncorrect)
	wantCode(t, restarted.Login(newPIN), "")
	// Blobs made under the old PIN still work: only the data key was re-wrapped.
	s, err := restarted.Signer(f.ecKey)
	if err != nil {
		t.Fatalf("Signer after PIN change: %v", err)
	}
	digest := sha256.Sum256([]byte("after PIN change"))
	sig, err := s.Sign(rand.Reader, digest[:], crypto.SHA256)
	if err != nil || !ecdsa.VerifyASN1(f.ecKey.PublicKey.(*ecdsa.PublicKey), digest[:], sig) {
		t.Fatalf("signing after PIN change failed: %v", err)
	}
}

func TestConcurrentSignAndLogout(t *testing.T) {
	tok, f := loggedIn(t)
	s, err := tok.Signer(f.ecKey)
	if err != nil {
		t.Fatal(err)
	}
	digest := sha256.Sum256([]byte("concurrent"))
	pub := f.ecKey.PublicKey.(*ecdsa.PublicKey)
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 50 {
				sig, err := s.Sign(rand.Reader, digest[:], crypto.SHA256)
				switch {
				case xroad.IsCode(err, xroad.CodeTokenNotActive):
				case err != nil:
					t.Errorf("Sign: %v", err)
				case !ecdsa.VerifyASN1(pub, digest[:], sig):
					t.Error("signature made during logout/login does not verify")
				}
			}
		})
	}
	wg.Go(func() {
		for range 3 {
			_ = tok.Logout()
			if err := tok.Login(testPIN); err != nil {
				t.Errorf("Login: %v", err)
			}
		}
	})
	wg.Wait()
}

func allZero(b []byte) bool {
	for _, v := range b {
		if v != 0 {
			return false
		}
	}
	return true
}

// NewInitialized gives a logged-in token whose keys survive a logout and a
// login with the same PIN (the state it made wraps the key it uses), and
// refuses what InitializeWith refuses.
func TestNewInitialized(t *testing.T) {
	tok, err := NewInitialized(testPIN, testKDF)
	if err != nil {
		t.Fatal(err)
	}
	if !tok.LoggedIn() || tok.Status() != signer.StatusOK {
		t.Fatalf("LoggedIn = %v, Status = %s; want a logged-in token", tok.LoggedIn(), tok.Status())
	}
	key, err := tok.GenerateKey(xroad.AlgorithmEC, "k")
	if err != nil {
		t.Fatal(err)
	}
	if err := tok.Logout(); err != nil {
		t.Fatal(err)
	}
	again := New(tok.State())
	wantCode(t, again.Login("Wrong-PIN-123"), xroad.CodePinIncorrect)
	if err := again.Login(testPIN); err != nil {
		t.Fatal(err)
	}
	if _, err := again.Signer(key); err != nil {
		t.Fatalf("the key made before the logout: %v", err)
	}
	if _, err := NewInitialized("", testKDF); err == nil {
		t.Error("an empty PIN was accepted")
	}
	if _, err := NewInitialized(testPIN, KDFParams{}); err == nil {
		t.Error("zero KDF parameters were accepted")
	}
}

// TestSealOpen: secrets the server keeps beside its keys are sealed under
// the data key: bound to their purpose, unreadable without the token logged
// in, surviving a PIN change, never in the sealed bytes.
func TestSealOpen(t *testing.T) {
	tok, _ := loggedIn(t)
	secret := []byte("eab mac key 6f1a9c…")
	sealed, err := tok.Seal(secret, "acme-eab-mac:1")
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(sealed, secret) {
		t.Error("the sealed bytes contain the secret")
	}
	if got, err := tok.Open(sealed, "acme-eab-mac:1"); err != nil || !bytes.Equal(got, secret) {
		t.Fatalf("Open = %q, %v", got, err)
	}
	for name, tc := range map[string]struct {
		data    []byte
		purpose string
	}{
		"another purpose": {sealed, "acme-account-key:1"},
		"damaged":         {append(bytes.Clone(sealed[:len(sealed)-1]), sealed[len(sealed)-1]^1), "acme-eab-mac:1"},
		"not sealed":      {[]byte("plain"), "acme-eab-mac:1"},
	} {
		if _, err := tok.Open(tc.data, tc.purpose); xroad.CodeOf(err) != xroad.CodeTokenOperationFailed {
			t.Errorf("%s: %v, want TOKEN_OPERATION_FAILED", name, err)
		}
	}
	if err := tok.ChangePIN(testPIN, "another PIN 42"); err != nil {
		t.Fatal(err)
	}
	if got, err := tok.Open(sealed, "acme-eab-mac:1"); err != nil || !bytes.Equal(got, secret) {
		t.Errorf("after a PIN change: %q, %v", got, err)
	}
	_ = tok.Logout()
	if _, err := tok.Open(sealed, "acme-eab-mac:1"); xroad.CodeOf(err) != xroad.CodeTokenNotActive {
		t.Errorf("Open while logged out: %v, want TOKEN_NOT_ACTIVE", err)
	}
	if _, err := tok.Seal(secret, "acme-eab-mac:1"); xroad.CodeOf(err) != xroad.CodeTokenNotActive {
		t.Errorf("Seal while logged out: %v, want TOKEN_NOT_ACTIVE", err)
	}
}
