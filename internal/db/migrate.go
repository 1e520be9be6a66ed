package db

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"sort"
	"strings"
	"time"

	atlas "ariga.io/atlas/sql/migrate"
	"entgo.io/ent/dialect"

	"github.com/roadreg/roadreg/ent/migrate/migrations"
)

// migrationLockKey is the PostgreSQL advisory lock that serialises
// migrations of replicas starting at the same time.
const migrationLockKey = 7_346_912_001

// Migrate applies the committed migrations of the dialect that are not yet
// recorded in roadreg_schema_migrations, each file in its own transaction.
func Migrate(ctx context.Context, db *sql.DB, dia string) error {
	files, err := migrationFiles(dia)
	if err != nil {
		return err
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if dia == dialect.Postgres {
		if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", migrationLockKey); err != nil {
			return fmt.Errorf("locking for migration: %w", err)
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", migrationLockKey) //nolint:errcheck
	}
	if _, err := conn.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS roadreg_schema_migrations (version varchar(255) PRIMARY KEY, applied_at varchar(64) NOT NULL)`); err != nil {
		return fmt.Errorf("creating migration table: %w", err)
	}
	applied := map[string]bool{}
	rows, err := conn.QueryContext(ctx, `SELECT version FROM roadreg_schema_migrations`)
	if err != nil {
		return fmt.Errorf("reading applied migrations: %w", err)
	}
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			rows.Close()
			return err
		}
		applied[v] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	insert := `INSERT INTO roadreg_schema_migrations (version, applied_at) VALUES (?, ?)`
	if dia == dialect.Postgres {
		insert = `INSERT INTO roadreg_schema_migrations (version, applied_at) VALUES ($1, $2)`
	}
	for _, f := range files {
		if applied[f.Version()] {
			continue
		}
		stmts, err := f.Stmts()
		if err != nil {
			return fmt.Errorf("parsing migration %s: %w", f.Name(), err)
		}
		tx, err := conn.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		for _, s := range stmts {
			if _, err := tx.ExecContext(ctx, s); err != nil {
				tx.Rollback() //nolint:errcheck
				return fmt.Errorf("migration %s: %w", f.Name(), err)
			}
		}
		if _, err := tx.ExecContext(ctx, insert, f.Version(), time.Now().UTC().Format(time.RFC3339)); err != nil {
			tx.Rollback() //nolint:errcheck
			return fmt.Errorf("recording migration %s: %w", f.Name(), err)
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("committing migration %s: %w", f.Name(), err)
		}
	}
	return nil
}

// migrationFiles returns the dialect's migration files in order, after
// checking them against atlas.sum (so an edited migration is refused).
func migrationFiles(dia string) ([]atlas.File, error) {
	sub := "sqlite"
	if dia == dialect.Postgres {
		sub = "postgres"
	}
	dir := &atlas.MemDir{}
	entries, err := fs.ReadDir(migrations.FS, sub)
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	for _, n := range names {
		b, err := fs.ReadFile(migrations.FS, sub+"/"+n)
		if err != nil {
			return nil, err
		}
		if err := dir.WriteFile(n, b); err != nil {
			return nil, err
		}
	}
	if err := atlas.Validate(dir); err != nil {
		return nil, fmt.Errorf("migration files of %s do not match atlas.sum: %w", sub, err)
	}
	files, err := dir.Files()
	if err != nil {
		return nil, err
	}
	var out []atlas.File
	for _, f := range files {
		if strings.HasSuffix(f.Name(), ".sql") {
			out = append(out, f)
		}
	}
	return out, nil
}
