package signer

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"slices"
	"testing"

	"github.com/roadreg/roadreg/internal/xroad"
)

func TestValidatePIN(t *testing.T) {
	weakMetadata := []string{"pin_min_length", "10", "pin_min_char_classes_count", "3"}
	tests := []struct {
		name     string
		pin      string
		enforce  bool
		wantCode string
	}{
		{"empty", "", false, xroad.CodeBadUserInput},
		{"short without policy", "1234", false, ""},
		{"space and symbols allowed", " !~{}|", false, ""},
		{"tab rejected", "12\t34", false, xroad.CodeBadUserInput},
		{"DEL rejected", "1234\x7f", false, xroad.CodeBadUserInput},
		{"non-ASCII rejected", "pässwörd", false, xroad.CodeBadUserInput},
		{"non-ASCII rejected before policy", "Päss-wört-12", true, xroad.CodeBadUserInput},
		{"policy: too short", "Ab1!Ab1!A", true, xroad.CodeTokenWeakPin},
		{"policy: two classes", "abcdefghij12", true, xroad.CodeTokenWeakPin},
		{"policy: lower upper digit", "abcdefGH12", true, ""},
		{"policy: lower digit special", "abcdef-123", true, ""},
		{"policy: space counts as special", "abcdef 123", true, ""},
		{"policy: all four", "Abc-def-123", true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ValidatePIN(tt.pin, tt.enforce)
			if got := xroad.CodeOf(err); got != tt.wantCode {
				t.Fatalf("ValidatePIN(%q, %v) code = %q (%v), want %q", tt.pin, tt.enforce, got, err, tt.wantCode)
			}
			if tt.wantCode == xroad.CodeTokenWeakPin {
				if md := err.(*xroad.Error).Metadata; !slices.Equal(md, weakMetadata) {
					t.Errorf("metadata = %q, want %q", md, weakMetadata)
				}
			}
		})
	}
}

func TestValidatePINInvalidCharactersMessage(t *testing.T) {
	err := ValidatePIN("pin\n", false)
	xe, ok := err.(*xroad.Error)
	if !ok {
		t.Fatalf("got %T %v, want *xroad.Error", err, err)
	}
	if want := "PIN contains invalid characters"; len(xe.Message) < len(want) || xe.Message[:len(want)] != want {
		t.Errorf("message %q does not start with %q", xe.Message, want)
	}
	if xe.Field != "pin" {
		t.Errorf("field = %q, want pin", xe.Field)
	}
}

func TestAlgorithmOf(t *testing.T) {
	ecKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	edPub, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		pub     any
		want    xroad.KeyAlgorithm
		wantErr bool
	}{
		{"rsa", &rsa.PublicKey{}, xroad.AlgorithmRSA, false},
		{"ec", &ecKey.PublicKey, xroad.AlgorithmEC, false},
		{"ed25519 unsupported", edPub, "", true},
		{"nil", nil, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := AlgorithmOf(tt.pub)
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Fatalf("AlgorithmOf = %q, %v; want %q, error %v", got, err, tt.want, tt.wantErr)
			}
		})
	}
}

func TestCheckAlgorithm(t *testing.T) {
	tests := []struct {
		alg      xroad.KeyAlgorithm
		wantCode string
	}{
		{xroad.AlgorithmRSA, ""},
		{xroad.AlgorithmEC, ""},
		{"DSA", xroad.CodeBadUserInput},
		{"", xroad.CodeBadUserInput},
	}
	for _, tt := range tests {
		if got := xroad.CodeOf(CheckAlgorithm(tt.alg)); got != tt.wantCode {
			t.Errorf("CheckAlgorithm(%q) code = %q, want %q", tt.alg, got, tt.wantCode)
		}
	}
}
