package db_test

import (
	"context"
	"testing"

	"github.com/roadreg/roadreg/internal/db"
	"github.com/roadreg/roadreg/internal/testenv"
	"github.com/roadreg/roadreg/internal/viewer"
	"github.com/roadreg/roadreg/internal/xroad"
)

// A new database records the role it is first opened for and refuses the
// other one from then on; without a role to record it says nothing.
func TestServerRoleIsRecordedOnce(t *testing.T) {
	for _, dsn := range testenv.Databases(t) {
		t.Run(dsn.Name, func(t *testing.T) {
			ctx := context.Background()
			d, err := db.Open(ctx, dsn.URL)
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			if r, err := d.ServerRole(ctx, ""); err != nil || r != "" {
				t.Fatalf("new database: %q, %v; want no role", r, err)
			}
			if r, err := d.ServerRole(ctx, viewer.Security); err != nil || r != viewer.Security {
				t.Fatalf("recording: %q, %v", r, err)
			}
			if r, err := d.ServerRole(ctx, ""); err != nil || r != viewer.Security {
				t.Fatalf("reading: %q, %v", r, err)
			}
			if _, err := d.ServerRole(ctx, viewer.Central); !xroad.IsCode(err, xroad.CodeWrongServerRole) {
				t.Fatalf("the other role: %v, want WRONG_SERVER_ROLE", err)
			}
		})
	}
}

// A database from before roles were recorded gets the role its
// configuration row shows.
func TestServerRoleFromConfiguration(t *testing.T) {
	for _, dsn := range testenv.Databases(t) {
		t.Run(dsn.Name, func(t *testing.T) {
			ctx := context.Background()
			d, err := db.Open(ctx, dsn.URL)
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			sys := viewer.SystemContext(ctx, viewer.Central)
			if err := d.Client.CentralServerConf.Create().SetInstanceIdentifier("DEV").SetCentralServerAddress("cs.example.org").
				SetSoftTokenState([]byte{1}).SetManagementServiceProviderClass("ORG").SetManagementServiceProviderCode("CENTRAL").
				SetManagementServiceProviderSubsystem("MANAGEMENT").SetManagementTLSCertificate([]byte{1}).SetManagementTLSKey([]byte{1}).
				Exec(sys); err != nil {
				t.Fatal(err)
			}
			if _, err := d.ServerRole(ctx, viewer.Security); !xroad.IsCode(err, xroad.CodeWrongServerRole) {
				t.Fatalf("a central server's database opened as a security server: %v", err)
			}
			if r, err := d.ServerRole(ctx, ""); err != nil || r != viewer.Central {
				t.Fatalf("role: %q, %v; want CENTRAL", r, err)
			}
		})
	}
}
