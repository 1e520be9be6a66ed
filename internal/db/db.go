// Package db opens Roadreg's database — PostgreSQL (github.com/lib/pq) or
// SQLite (modernc.org/sqlite) — and brings its schema up to date with the
// committed versioned migrations.
package db

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
	_ "github.com/lib/pq" // PostgreSQL driver
	"modernc.org/sqlite"

	"github.com/roadreg/roadreg/ent"
	_ "github.com/roadreg/roadreg/ent/runtime" // privacy policies and hooks
)

func init() {
	// ent and atlas know SQLite as "sqlite3"; modernc registers "sqlite".
	sql.Register("sqlite3", &sqlite.Driver{})
}

// Database is an open, migrated database.
type Database struct {
	Client  *ent.Client
	DB      *sql.DB
	Dialect string
	// DSN is the data source name (without secrets) for logs.
	DSN string
}

// Close closes the client and the pool.
func (d *Database) Close() error { return d.Client.Close() }

// IsPostgres reports whether s names a PostgreSQL database.
func IsPostgres(s string) bool {
	return strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://")
}

// Open opens the database named by dsn — a postgres:// URL or a SQLite file
// path — and applies pending migrations.
func Open(ctx context.Context, dsn string) (*Database, error) {
	d, err := OpenWithoutMigrating(ctx, dsn)
	if err != nil {
		return nil, err
	}
	if err := Migrate(ctx, d.DB, d.Dialect); err != nil {
		d.Close()
		return nil, err
	}
	return d, nil
}

// OpenWithoutMigrating opens the database but leaves its schema alone.
func OpenWithoutMigrating(ctx context.Context, dsn string) (*Database, error) {
	var (
		drvName, source, dia, shown string
	)
	if IsPostgres(dsn) {
		drvName, source, dia, shown = "postgres", dsn, dialect.Postgres, redact(dsn)
	} else {
		path := strings.TrimPrefix(dsn, "sqlite://")
		if path == "" {
			return nil, fmt.Errorf("empty database path")
		}
		if dir := filepath.Dir(path); dir != "." {
			if err := os.MkdirAll(dir, 0o700); err != nil {
				return nil, fmt.Errorf("creating database folder: %w", err)
			}
		}
		drvName, dia, shown = "sqlite3", dialect.SQLite, path
		source = sqliteDSN(path)
	}
	sdb, err := sql.Open(drvName, source)
	if err != nil {
		return nil, fmt.Errorf("opening database %s: %w", shown, err)
	}
	if dia == dialect.SQLite {
		// One writer at a time; WAL lets readers go on.
		sdb.SetMaxOpenConns(8)
	} else {
		sdb.SetMaxOpenConns(32)
		sdb.SetMaxIdleConns(8)
		sdb.SetConnMaxIdleTime(5 * time.Minute)
	}
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := sdb.PingContext(pingCtx); err != nil {
		sdb.Close()
		return nil, fmt.Errorf("connecting to database %s: %w", shown, err)
	}
	drv := entsql.OpenDB(dia, sdb)
	return &Database{Client: ent.NewClient(ent.Driver(drv)), DB: sdb, Dialect: dia, DSN: shown}, nil
}

// sqliteDSN builds a modernc.org/sqlite DSN for a file (or an in-memory
// database named "memory:NAME") with foreign keys, a busy timeout and WAL.
func sqliteDSN(path string) string {
	// _time_format=sqlite stores times as "2006-01-02 15:04:05.999999999-07:00",
	// which compares and sorts correctly (the default is time.Time.String()).
	pragmas := "_pragma=foreign_keys(1)&_pragma=busy_timeout(10000)&_txlock=immediate&_time_format=sqlite"
	if name, ok := strings.CutPrefix(path, "memory:"); ok {
		return "file:" + name + "?mode=memory&cache=shared&" + pragmas
	}
	return "file:" + path + "?" + pragmas + "&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)"
}

func redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "postgres://…"
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}
