package main

import (
	"io"
	"strings"
	"testing"

	"github.com/roadreg/roadreg/internal/signer/softtoken"
)

func TestSoftTokenKDFFlag(t *testing.T) {
	t.Parallel()
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

func TestServerAddressFlag(t *testing.T) {
	t.Parallel()
	c, err := parseServeFlags([]string{"--role", "security", "--server-address", "ss1.example.org"}, env{}, io.Discard)
	if err != nil || c.ServerAddress != "ss1.example.org" {
		t.Errorf("flag: %+v, %v; want ss1.example.org", c, err)
	}
	c, err = parseServeFlags([]string{"--role", "security"}, env{"ROADREG_SERVER_ADDRESS": "192.0.2.10"}, io.Discard)
	if err != nil || c.ServerAddress != "192.0.2.10" {
		t.Errorf("environment: %+v, %v; want 192.0.2.10", c, err)
	}
	for _, tc := range []struct{ args []string }{
		{[]string{"--role", "security", "--server-address", "not an address"}},
		{[]string{"--role", "central", "--server-address", "cs.example.org"}},
	} {
		if _, err := parseServeFlags(tc.args, env{}, io.Discard); err == nil || !strings.Contains(err.Error(), "--server-address") {
			t.Errorf("%v: err = %v, want a --server-address error", tc.args, err)
		}
	}
}
