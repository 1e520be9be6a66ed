// Package testenv gives tests the real parts they run against: throwaway
// databases (SQLite files and, when TEST_DATABASE_URL points at a
// PostgreSQL server, fresh PostgreSQL databases), external tools, and
// X-Road's own schemas and sample files.
//
// One rule decides what a test does when something from outside the
// repository is missing: it skips with a message, unless that thing is
// required, and then it fails.
//
//   - Tools and services (PostgreSQL, SoftHSM2 and pkcs11-tool, openssl,
//     xmllint), which scripts/deps.sh installs, are required under
//     CI=true, ROADREG_REQUIRE_TOOLS=1 or ROADREG_DEPS_INSTALLED=1 (make
//     test sets the last after running scripts/deps.sh).
//   - X-Road's schemas and samples (XROAD_FIXTURES, see Fixtures), which
//     no script installs, are required under CI=true or
//     ROADREG_REQUIRE_TOOLS=1 only.
package testenv

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "github.com/lib/pq" // PostgreSQL driver
)

// Database names one test database.
type Database struct {
	Name string // "sqlite" or "postgres"
	URL  string // a SQLite file path or a postgres:// URL
}

// FixturesRequired reports whether missing X-Road fixtures fail tests
// instead of skipping them: CI=true or ROADREG_REQUIRE_TOOLS=1.
func FixturesRequired() bool {
	return os.Getenv("CI") == "true" || os.Getenv("ROADREG_REQUIRE_TOOLS") == "1"
}

// ToolsRequired reports whether missing tools and services fail tests
// instead of skipping them: whenever fixtures are required, and after
// scripts/deps.sh installed them (ROADREG_DEPS_INSTALLED=1, set by make test).
func ToolsRequired() bool {
	return FixturesRequired() || os.Getenv("ROADREG_DEPS_INSTALLED") == "1"
}

// Unavailable skips the test with msg, or fails it when tools are required.
func Unavailable(t testing.TB, msg string) {
	t.Helper()
	if ToolsRequired() {
		t.Fatalf("%s (required: CI=true, ROADREG_REQUIRE_TOOLS=1 or ROADREG_DEPS_INSTALLED=1)", msg)
	}
	t.Skip(msg)
}

// NeedTool returns the path of an external program or skips/fails.
func NeedTool(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		Unavailable(t, name+" is not installed")
	}
	return p
}

// SQLite returns a fresh SQLite database file in the test's temp dir.
func SQLite(t testing.TB) Database {
	return Database{Name: "sqlite", URL: filepath.Join(t.TempDir(), "roadreg.db")}
}

// Postgres creates a fresh database on the server TEST_DATABASE_URL names
// and drops it when the test ends. Without TEST_DATABASE_URL it skips (or
// fails when tools are required).
func Postgres(t testing.TB) Database {
	t.Helper()
	base := os.Getenv("TEST_DATABASE_URL")
	if base == "" {
		Unavailable(t, "TEST_DATABASE_URL is not set: PostgreSQL tests skipped (make test starts a server)")
	}
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("TEST_DATABASE_URL: %v", err)
	}
	admin, err := sql.Open("postgres", base)
	if err != nil {
		t.Fatalf("open postgres: %v", err)
	}
	defer admin.Close()
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := "roadreg_test_" + hex.EncodeToString(b)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("create database: %v", err)
	}
	t.Cleanup(func() {
		a, err := sql.Open("postgres", base)
		if err != nil {
			return
		}
		defer a.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		_, _ = a.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
	})
	u.Path = "/" + name
	return Database{Name: "postgres", URL: u.String()}
}

// Databases returns one SQLite and (when available) one PostgreSQL
// database, for tests that must pass on both.
func Databases(t testing.TB) []Database {
	t.Helper()
	dbs := []Database{SQLite(t)}
	if os.Getenv("TEST_DATABASE_URL") != "" {
		dbs = append(dbs, Postgres(t))
	} else if ToolsRequired() {
		t.Fatal("TEST_DATABASE_URL is not set (required: CI=true, ROADREG_REQUIRE_TOOLS=1 or ROADREG_DEPS_INSTALLED=1)")
	}
	return dbs
}

// RepoRoot returns the module root (the folder holding go.mod).
func RepoRoot(t testing.TB) string {
	t.Helper()
	dir, err := FindRepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// FindRepoRoot returns the nearest folder above the working directory
// that holds go.mod.
func FindRepoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("go.mod not found above the working directory")
		}
		dir = parent
	}
}

// Contains reports whether any of needles occurs in s (for secret scans).
func Contains(s string, needles ...string) (string, bool) {
	for _, n := range needles {
		if n != "" && strings.Contains(s, n) {
			return n, true
		}
	}
	return "", false
}

// DB returns the database a test should run against: a fresh PostgreSQL
// database when ROADREG_TEST_DB=postgres (make test runs the suite once per
// database), else a fresh SQLite file.
func DB(t testing.TB) Database {
	t.Helper()
	if os.Getenv("ROADREG_TEST_DB") == "postgres" {
		return Postgres(t)
	}
	return SQLite(t)
}
