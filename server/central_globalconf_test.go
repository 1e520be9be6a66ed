package main

// Generating global configuration on the central server when it fails.

import (
	"crypto/sha512"
	"encoding/hex"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/roadreg/roadreg/internal/globalconf"
	"github.com/roadreg/roadreg/internal/viewer"
	"github.com/roadreg/roadreg/internal/xroad"
)

// TestGenerationFailureKeepsLastVersion restarts a central server: its
// signing token is then logged out, generation fails and says so, the last
// good configuration is served from the first request on, and logging in
// heals it.
func TestGenerationFailureKeepsLastVersion(t *testing.T) {
	t.Parallel()
	dir, db := t.TempDir(), ""
	keep := func(c *config) {
		if db == "" {
			db = c.DB
		}
		c.DataDir, c.DB = dir, db
	}
	e := newCentral(t, keep)
	e.waitConf(t, func(s *globalconf.Snapshot) bool { return len(s.Shared.ApprovedTSAs) == 1 })
	var before struct{ GlobalConfigurationStatus struct{ Version int } }
	e.regoff.ok(t, qStatus, nil, &before)
	e.srv.stop(t)

	srv := startServer(t, viewer.Central, keep)
	c := srv.anonymous()
	if status, _ := c.login(t, "secoff", testPassword); status != http.StatusOK {
		t.Fatal("login after restart")
	}
	var st struct {
		GlobalConfigurationStatus struct {
			Version      int
			Error        *string
			FailingSince *time.Time
		}
	}
	c.fails(t, xroad.CodeTokenNotActive, `mutation { generateGlobalConfiguration { version } }`, nil)
	c.ok(t, `{ globalConfigurationStatus { version error failingSince } }`, nil, &st)
	if st.GlobalConfigurationStatus.Error == nil || !strings.Contains(*st.GlobalConfigurationStatus.Error, "logged out") || st.GlobalConfigurationStatus.FailingSince == nil {
		t.Fatalf("status after restart: %+v", st)
	}
	if r := httpGet(t, c, "/internalconf"); r.StatusCode != http.StatusOK {
		t.Fatalf("the last good configuration is not served: %d", r.StatusCode)
	}
	c.fails(t, xroad.CodePinIncorrect, `mutation { loginCentralServerToken(pin: "wrong") { version } }`, nil)
	c.ok(t, `mutation { loginCentralServerToken(pin: "Secret-PIN-1") { version } }`, nil, nil)
	c.ok(t, `mutation { generateGlobalConfiguration { version } }`, nil, nil)
	c.ok(t, `{ globalConfigurationStatus { version error failingSince } }`, nil, &st)
	if st.GlobalConfigurationStatus.Error != nil || st.GlobalConfigurationStatus.FailingSince != nil || st.GlobalConfigurationStatus.Version <= before.GlobalConfigurationStatus.Version {
		t.Fatalf("status after login: %+v (before: version %d)", st, before.GlobalConfigurationStatus.Version)
	}
}

// The global configuration page lists the generated versions, newest first,
// each with its parts as the signed directory lists them (SHA-512 of the
// file served at downloadPath while the version is published), and the
// configuration-signing key with its certificate.
func TestGlobalConfigurationVersionsAndSigningKeys(t *testing.T) {
	t.Parallel()
	e := newCentral(t)
	e.waitConf(t, func(s *globalconf.Snapshot) bool { return len(s.Shared.ApprovedTSAs) == 1 })
	e.secoff.ok(t, `mutation { generateGlobalConfiguration { version } }`, nil, nil)
	var out struct {
		GlobalConfigurationVersions []struct {
			Version   int
			ContentID string
			Hash      string
			Current   bool
			Parts     []struct {
				ContentIdentifier, FileName, HashAlgorithm, Hash string
				DownloadPath                                     *string
			}
		}
		ConfigurationSigningKeys []struct {
			KeyID, SourceType string
			Active            bool
			Certificate       struct{ Subject, Sha256 string }
		}
	}
	const q = `{ globalConfigurationVersions(first: 2) { version contentId hash current parts { contentIdentifier fileName hashAlgorithm hash downloadPath } }
		configurationSigningKeys { keyId sourceType active certificate { subject sha256 } } }`
	e.regoff.ok(t, q, nil, &out)
	vs := out.GlobalConfigurationVersions
	if len(vs) != 2 || vs[0].Version != vs[1].Version+1 || !vs[0].Current || vs[1].Current {
		t.Fatalf("versions: %+v", vs)
	}
	var ids []string
	for _, p := range vs[0].Parts {
		ids = append(ids, p.ContentIdentifier)
		if p.HashAlgorithm != "SHA-512" || p.DownloadPath == nil || !strings.HasPrefix(*p.DownloadPath, "/V6/"+vs[0].ContentID+"/") {
			t.Errorf("part %+v", p)
			continue
		}
		r, err := http.Get(e.srv.URL + *p.DownloadPath)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(r.Body)
		r.Body.Close()
		if sum := sha512.Sum512(body); r.StatusCode != http.StatusOK || hex.EncodeToString(sum[:]) != p.Hash {
			t.Errorf("%s: HTTP %d, SHA-512 %x; the directory lists %s", *p.DownloadPath, r.StatusCode, sum, p.Hash)
		}
	}
	slices.Sort(ids)
	if !slices.Equal(ids, []string{globalconf.ContentPrivateParameters, globalconf.ContentSharedParameters}) {
		t.Errorf("parts %v", ids)
	}
	keys := out.ConfigurationSigningKeys
	if len(keys) != 1 || !keys[0].Active || keys[0].SourceType != "INTERNAL" || keys[0].Certificate.Sha256 == "" || keys[0].Certificate.Subject == "" {
		t.Errorf("signing keys: %+v", keys)
	}

	e.regoff.fails(t, xroad.CodeBadUserInput, `{ globalConfigurationVersions(first: 51) { version } }`, nil)
}
