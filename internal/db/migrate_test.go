package db_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"entgo.io/ent/dialect"

	"github.com/roadreg/roadreg/ent/migrate"
	"github.com/roadreg/roadreg/internal/db"
	"github.com/roadreg/roadreg/internal/testenv"
)

// TestMigrationsMatchSchema applies the committed migrations to an empty
// database and asks ent what auto-migration would still change: nothing
// may be left, on SQLite and on PostgreSQL.
func TestMigrationsMatchSchema(t *testing.T) {
	for _, dsn := range testenv.Databases(t) {
		t.Run(dsn.Name, func(t *testing.T) {
			ctx := context.Background()
			d, err := db.Open(ctx, dsn.URL)
			if err != nil {
				t.Fatalf("open and migrate: %v", err)
			}
			defer d.Close()
			var buf bytes.Buffer
			if err := d.Client.Schema.WriteTo(ctx, &buf, migrate.WithDropColumn(true), migrate.WithDropIndex(true)); err != nil {
				t.Fatalf("diffing schema: %v", err)
			}
			if pending := meaningful(buf.String()); pending != "" {
				t.Errorf("the committed %s migrations differ from the ent schema; run `make migration name=…`:\n%s", d.Dialect, pending)
			}
			// Applying again is a no-op.
			if err := db.Migrate(ctx, d.DB, d.Dialect); err != nil {
				t.Fatalf("second migrate: %v", err)
			}
			var n int
			if err := d.DB.QueryRowContext(ctx, "SELECT count(*) FROM roadreg_schema_migrations").Scan(&n); err != nil || n == 0 {
				t.Fatalf("migrations not recorded: n=%d err=%v", n, err)
			}
			if d.Dialect == dialect.SQLite {
				var fk int
				if err := d.DB.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&fk); err != nil || fk != 1 {
					t.Errorf("foreign keys are off on SQLite (%d, %v)", fk, err)
				}
			}
		})
	}
}

func meaningful(s string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		l = strings.TrimSpace(l)
		if l == "" || l == "BEGIN;" || l == "COMMIT;" || strings.HasPrefix(l, "--") {
			continue
		}
		out = append(out, l)
	}
	return strings.Join(out, "\n")
}
