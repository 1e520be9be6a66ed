// Package xsdtest validates documents against X-Road's schemas with xmllint.
// The schemas come from testenv.Fixtures; without them (or without xmllint)
// only the schema check is skipped, not the test that asks for it.
package xsdtest

import (
	"bytes"
	"fmt"
	"os/exec"
	"path"
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

// Xmllint returns the path of xmllint, or skips/fails t by testenv's rule.
func Xmllint(t testing.TB) string {
	return testenv.NeedTool(t, "xmllint")
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

// Validate checks doc against schema (a path relative to the fixtures
// directory, e.g. SchemaSharedParametersV6) in a subtest named after the
// schema, so that missing fixtures skip this check only.
func Validate(t *testing.T, schema string, doc []byte) {
	t.Helper()
	t.Run("XSD "+path.Base(path.Dir(schema))+"/"+path.Base(schema), func(t *testing.T) {
		dir := testenv.Fixtures(t)
		Xmllint(t)
		if err := ValidateWithXmllint(filepath.Join(dir, filepath.FromSlash(schema)), doc); err != nil {
			t.Errorf("document does not validate: %v\n--- document ---\n%s", err, doc)
		}
	})
}
