package main

// The central server's configuration anchor.

import (
	"testing"

	"github.com/roadreg/roadreg/internal/globalconf"
)

func TestConfigurationAnchorInfo(t *testing.T) {
	t.Parallel()
	e := newCentral(t)
	var got struct {
		ConfigurationAnchor     string
		ConfigurationAnchorInfo struct{ Hash, InstanceIdentifier string }
	}
	e.secoff.ok(t, `{ configurationAnchor configurationAnchorInfo { hash instanceIdentifier generatedAt } }`, nil, &got)
	if got.ConfigurationAnchorInfo.Hash != globalconf.AnchorHash([]byte(got.ConfigurationAnchor)) || got.ConfigurationAnchorInfo.InstanceIdentifier != "DEV" {
		t.Fatalf("anchor info: %+v", got.ConfigurationAnchorInfo)
	}
	// System administrators may see the hash to publish, but not download the anchor.
	e.sysadmin.ok(t, `{ configurationAnchorInfo { hash } }`, nil, nil)
	e.sysadmin.fails(t, "FORBIDDEN", `{ configurationAnchor }`, nil)
}
