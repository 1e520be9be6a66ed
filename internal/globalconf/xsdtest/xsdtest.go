// Package xsdtest helps tests find X-Road's schemas and samples (kept outside
// the repository, see DESIGN.md §6) and validate documents with xmllint.
//
// The fixtures directory is $XROAD_FIXTURES or, by default, ../shared/xroad
// next to the repository root. Tests skip with a message when fixtures or
// xmllint are missing, except when ROADREG_REQUIRE_TOOLS=1 (CI), where they
// fail instead.
package xsdtest

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/roadreg/roadreg/internal/testenv"
)

// Schemas, relative to the fixtures directory.
const (
	SchemaSharedParametersV6  = "xsd/globalconf/v6/shared-parameters.xsd"
	SchemaPrivateParametersV3 = "xsd/globalconf/v3/private-parameters.xsd"
	// SchemaAnchor is the schema of configurationAnchor documents.
	SchemaAnchor = "xsd/globalconf/v2/private-parameters.xsd"
)

// FixturesDir returns the X-Road fixtures directory: $XROAD_FIXTURES, or
// ../shared/xroad relative to the directory holding go.mod above the
// working directory. It fails when the directory does not exist.
func FixturesDir() (string, error) {
	dir := os.Getenv("XROAD_FIXTURES")
	if dir == "" {
		root, err := testenv.FindRepoRoot()
		if err != nil {
			return "", err
		}
		dir = filepath.Join(root, "..", "shared", "xroad")
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	if fi, err := os.Stat(filepath.Join(abs, "xsd")); err != nil || !fi.IsDir() {
		return "", fmt.Errorf("X-Road fixtures not found at %s (set XROAD_FIXTURES to the folder holding xsd/ and samples/)", abs)
	}
	return abs, nil
}

// RequireTools reports whether ROADREG_REQUIRE_TOOLS=1, i.e. missing tools
// and fixtures fail tests instead of skipping them.
func RequireTools() bool { return os.Getenv("ROADREG_REQUIRE_TOOLS") == "1" }

// skipOrFail skips t, or fails it when tools are required.
func skipOrFail(t testing.TB, format string, args ...any) {
	t.Helper()
	if RequireTools() {
		t.Fatalf(format+" (ROADREG_REQUIRE_TOOLS=1)", args...)
	}
	t.Skipf(format, args...)
}

// Fixtures returns the fixtures directory or skips t (fails with
// ROADREG_REQUIRE_TOOLS=1) when it is absent.
func Fixtures(t testing.TB) string {
	t.Helper()
	dir, err := FixturesDir()
	if err != nil {
		skipOrFail(t, "skipping: %v", err)
	}
	return dir
}

// ReadSample reads a file under <fixtures>/samples, skipping t when absent.
func ReadSample(t testing.TB, rel string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(Fixtures(t), "samples", filepath.FromSlash(rel)))
	if err != nil {
		skipOrFail(t, "skipping: X-Road sample %s: %v", rel, err)
	}
	return b
}

// Xmllint returns the path of xmllint or skips t (fails with
// ROADREG_REQUIRE_TOOLS=1) when it is not installed.
func Xmllint(t testing.TB) string {
	t.Helper()
	p, err := exec.LookPath("xmllint")
	if err != nil {
		skipOrFail(t, "skipping: xmllint not installed (Debian package libxml2-utils)")
	}
	return p
}

// ValidateWithXmllint validates doc against the schema at xsdPath with
// `xmllint --noout --schema`. The error carries xmllint's diagnostics.
func ValidateWithXmllint(xsdPath string, doc []byte) error {
	cmd := exec.Command("xmllint", "--noout", "--nonet", "--schema", xsdPath, "-")
	cmd.Stdin = bytes.NewReader(doc)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("xmllint --schema %s: %w\n%s", xsdPath, err, strings.TrimSpace(out.String()))
	}
	return nil
}

// Validate validates doc against schema (a path relative to the fixtures
// directory, e.g. SchemaSharedParametersV6) and fails t when it is invalid.
func Validate(t testing.TB, schema string, doc []byte) {
	t.Helper()
	dir := Fixtures(t)
	Xmllint(t)
	if err := ValidateWithXmllint(filepath.Join(dir, filepath.FromSlash(schema)), doc); err != nil {
		t.Errorf("document does not validate: %v\n--- document ---\n%s", err, doc)
	}
}
