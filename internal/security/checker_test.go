package security

import (
	"crypto/sha256"
	"reflect"
	"testing"

	"github.com/roadreg/roadreg/internal/globalconf"
	"github.com/roadreg/roadreg/internal/xroad"
)

func TestCheck(t *testing.T) {
	owner := xroad.ClientID{Instance: "DEV", MemberClass: "GOV", MemberCode: "1234"}
	other := xroad.ClientID{Instance: "DEV", MemberClass: "COM", MemberCode: "999"}
	sub := xroad.ClientID{Instance: "DEV", MemberClass: "GOV", MemberCode: "1234", SubsystemCode: "APP"}
	me := xroad.ServerID{Owner: owner, ServerCode: "SS1"}
	elsewhere := xroad.ServerID{Owner: other, ServerCode: "SS9"}
	hash := func(s string) []byte { h := sha256.Sum256([]byte(s)); return h[:] }
	mine, foreign, unknown := hash("mine"), hash("foreign"), hash("unknown")

	// conf lists this server with cert "mine" and client sub, and another
	// server with cert "foreign".
	listed := &globalconf.SharedParameters{SecurityServers: []globalconf.SecurityServer{
		{ID: me, AuthCertHashes: [][]byte{mine}, Clients: []xroad.ClientID{sub}},
		{ID: elsewhere, AuthCertHashes: [][]byte{foreign}},
	}}
	// conf without this server (only the other one).
	notListed := &globalconf.SharedParameters{SecurityServers: []globalconf.SecurityServer{
		{ID: elsewhere, AuthCertHashes: [][]byte{foreign, mine}},
	}}

	certCases := []struct {
		name   string
		shared *globalconf.SharedParameters
		status xroad.CertificateStatus
		hash   []byte
		want   xroad.CertificateStatus // "" = unchanged
		// marked: DELETION_IN_PROGRESS without an accepted authCertDeletion
		marked bool
	}{
		{"in progress, listed here", listed, xroad.CertRegistrationInProgress, mine, xroad.CertRegistered, false},
		{"saved, listed here", listed, xroad.CertSaved, mine, xroad.CertRegistered, false},
		{"global error, listed here", listed, xroad.CertGlobalError, mine, xroad.CertRegistered, false},
		{"registered, listed here", listed, xroad.CertRegistered, mine, "", false},
		{"deletion in progress, listed here", listed, xroad.CertDeletionInProgress, mine, "", false},
		{"in progress, not listed", listed, xroad.CertRegistrationInProgress, unknown, "", false},
		{"saved, not listed", listed, xroad.CertSaved, unknown, "", false},
		{"global error, not listed", listed, xroad.CertGlobalError, unknown, "", false},
		{"registered, not listed", listed, xroad.CertRegistered, unknown, xroad.CertGlobalError, false},
		{"deletion in progress, no longer listed", listed, xroad.CertDeletionInProgress, unknown, xroad.CertSaved, false},
		{"deletion in progress, listed under another server", listed, xroad.CertDeletionInProgress, foreign, xroad.CertSaved, false},
		{"deletion in progress, server gone from conf", notListed, xroad.CertDeletionInProgress, mine, xroad.CertSaved, false},
		{"marked for deletion, not listed", listed, xroad.CertDeletionInProgress, unknown, "", true},
		{"registered, listed under another server", listed, xroad.CertRegistered, foreign, xroad.CertGlobalError, false},
		{"in progress, listed under another server", listed, xroad.CertRegistrationInProgress, foreign, "", false},
		{"registered, server gone from conf", notListed, xroad.CertRegistered, mine, xroad.CertGlobalError, false},
		{"registered, no shared parameters", nil, xroad.CertRegistered, unknown, "", false},
	}
	for _, tc := range certCases {
		t.Run("cert/"+tc.name, func(t *testing.T) {
			got := Check(tc.shared, LocalState{ServerID: me, AuthCerts: []CertState{{ID: 7, Status: tc.status, Hash: tc.hash,
				Unregistered: tc.status == xroad.CertDeletionInProgress && !tc.marked}}})
			var want Changes
			if tc.want != "" {
				want.Certs = []CertChange{{ID: 7, From: tc.status, To: tc.want}}
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("Check = %+v, want %+v", got, want)
			}
		})
	}

	clientCases := []struct {
		name   string
		shared *globalconf.SharedParameters
		client xroad.ClientID
		status xroad.ClientStatus
		want   xroad.ClientStatus
	}{
		{"owner saved, server listed", listed, owner, xroad.ClientSaved, xroad.ClientRegistered},
		{"owner global error, server listed", listed, owner, xroad.ClientGlobalError, xroad.ClientRegistered},
		{"owner in progress, server listed", listed, owner, xroad.ClientRegistrationInProgress, xroad.ClientRegistered},
		{"owner registered, server listed", listed, owner, xroad.ClientRegistered, ""},
		{"owner deletion in progress, server listed", listed, owner, xroad.ClientDeletionInProgress, ""},
		{"owner saved, server not listed", notListed, owner, xroad.ClientSaved, ""},
		{"owner registered, server not listed", notListed, owner, xroad.ClientRegistered, xroad.ClientGlobalError},
		{"owner deletion in progress, server not listed", notListed, owner, xroad.ClientDeletionInProgress, ""},
		{"subsystem listed as client", listed, sub, xroad.ClientRegistrationInProgress, xroad.ClientRegistered},
		{"member not listed as client", listed, other, xroad.ClientSaved, ""},
		{"registered member not listed as client", listed, other, xroad.ClientRegistered, xroad.ClientGlobalError},
		{"owner registered, no shared parameters", nil, owner, xroad.ClientRegistered, ""},
	}
	for _, tc := range clientCases {
		t.Run("client/"+tc.name, func(t *testing.T) {
			got := Check(tc.shared, LocalState{ServerID: me, Clients: []ClientState{{ID: 3, Client: tc.client, Status: tc.status}}})
			var want Changes
			if tc.want != "" {
				want.Clients = []ClientChange{{ID: 3, Client: tc.client, From: tc.status, To: tc.want}}
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("Check = %+v, want %+v", got, want)
			}
		})
	}

	// Renewal by hand (UG-SS §5.5): a second authentication certificate is
	// registered while the first is; both are listed, the new one becomes
	// REGISTERED and the old one stays. Once the old one is unregistered and
	// the configuration drops it, it becomes SAVED.
	t.Run("second authentication certificate", func(t *testing.T) {
		newCert := hash("renewed")
		both := &globalconf.SharedParameters{SecurityServers: []globalconf.SecurityServer{{ID: me, AuthCertHashes: [][]byte{mine, newCert}}}}
		got := Check(both, LocalState{ServerID: me, AuthCerts: []CertState{
			{ID: 1, Status: xroad.CertRegistered, Hash: mine}, {ID: 2, Status: xroad.CertRegistrationInProgress, Hash: newCert}}})
		want := Changes{Certs: []CertChange{{ID: 2, From: xroad.CertRegistrationInProgress, To: xroad.CertRegistered}}}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("both listed: Check = %+v, want %+v", got, want)
		}
		onlyNew := &globalconf.SharedParameters{SecurityServers: []globalconf.SecurityServer{{ID: me, AuthCertHashes: [][]byte{newCert}}}}
		got = Check(onlyNew, LocalState{ServerID: me, AuthCerts: []CertState{
			{ID: 1, Status: xroad.CertDeletionInProgress, Hash: mine, Unregistered: true}, {ID: 2, Status: xroad.CertRegistered, Hash: newCert}}})
		want = Changes{Certs: []CertChange{{ID: 1, From: xroad.CertDeletionInProgress, To: xroad.CertSaved}}}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("old one dropped: Check = %+v, want %+v", got, want)
		}
	})

	t.Run("several at once", func(t *testing.T) {
		got := Check(listed, LocalState{
			ServerID: me,
			Clients:  []ClientState{{ID: 1, Client: owner, Status: xroad.ClientSaved}, {ID: 2, Client: sub, Status: xroad.ClientRegistered}},
			AuthCerts: []CertState{
				{ID: 10, Status: xroad.CertRegistrationInProgress, Hash: mine},
				{ID: 11, Status: xroad.CertRegistered, Hash: unknown},
				{ID: 12, Status: xroad.CertSaved, Hash: unknown},
			},
		})
		want := Changes{
			Certs:   []CertChange{{ID: 10, From: xroad.CertRegistrationInProgress, To: xroad.CertRegistered}, {ID: 11, From: xroad.CertRegistered, To: xroad.CertGlobalError}},
			Clients: []ClientChange{{ID: 1, Client: owner, From: xroad.ClientSaved, To: xroad.ClientRegistered}},
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("Check = %+v, want %+v", got, want)
		}
		if got.Empty() || !(Changes{}).Empty() {
			t.Error("Empty is wrong")
		}
	})
}
