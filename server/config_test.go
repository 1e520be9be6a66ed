package main

import (
	"io"
	"strings"
	"testing"

	"github.com/roadreg/roadreg/internal/signer/softtoken"
)

func TestSoftTokenKDFFlag(t *testing.T) {
	c, err := parseServeFlags([]string{"--role", "security"}, env{}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.SoftTokenKDF != softtoken.DefaultKDFParams() {
		t.Errorf("default SoftTokenKDF = %+v, want %+v", c.SoftTokenKDF, softtoken.DefaultKDFParams())
	}
	want := softtoken.KDFParams{Time: 3, MemoryKiB: 65536, Threads: 4}
	c, err = parseServeFlags([]string{"--role", "central", "--softtoken-kdf", "m=65536,t=3,p=4"}, env{}, io.Discard)
	if err != nil || c.SoftTokenKDF != want {
		t.Errorf("flag: %+v, %v; want %+v", c, err, want)
	}
	c, err = parseServeFlags([]string{"--role", "central"}, env{"ROADREG_SOFTTOKEN_KDF": "m=65536,t=3,p=4"}, io.Discard)
	if err != nil || c.SoftTokenKDF != want {
		t.Errorf("environment: %+v, %v; want %+v", c, err, want)
	}
	_, err = parseServeFlags([]string{"--role", "security", "--softtoken-kdf", "m=64,t=0,p=1"}, env{}, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "--softtoken-kdf") {
		t.Errorf("zero passes: err = %v, want a --softtoken-kdf error", err)
	}
}
