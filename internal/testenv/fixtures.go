package testenv

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// EnableFixtures tells how to run the tests that need X-Road's files.
const EnableFixtures = "XROAD_FIXTURES=<folder with xsd/ and samples/>"

// FixturesDir returns the folder of X-Road's XSDs and sample files:
// $XROAD_FIXTURES or, by default, the fixtures folder beside the
// repository that README.md ("Development") names. It returns an error
// when the folder has no xsd/ and samples/.
func FixturesDir() (string, error) {
	dir := os.Getenv("XROAD_FIXTURES")
	if dir == "" {
		root, err := FindRepoRoot()
		if err != nil {
			return "", err
		}
		dir = filepath.Join(root, "..", "shared", "xroad")
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for _, sub := range []string{"xsd", "samples"} {
		if fi, err := os.Stat(filepath.Join(abs, sub)); err != nil || !fi.IsDir() {
			return "", fmt.Errorf("X-Road fixtures not found at %s (run with %s)", abs, EnableFixtures)
		}
	}
	return abs, nil
}

// Fixtures returns FixturesDir, or skips the test when it is missing (fails
// when FixturesRequired). Call it only where X-Road's files are needed: the
// checks of a test that need none must run without them.
func Fixtures(t testing.TB) string {
	t.Helper()
	dir, err := FixturesDir()
	if err != nil {
		if FixturesRequired() {
			t.Fatalf("%v (required: CI=true or ROADREG_REQUIRE_TOOLS=1)", err)
		}
		t.Skip(err)
	}
	return dir
}

// Sample returns the path of a file under the fixtures' samples/ folder
// (rel uses slashes), or skips/fails as Fixtures does.
func Sample(t testing.TB, rel string) string {
	t.Helper()
	return filepath.Join(Fixtures(t), "samples", filepath.FromSlash(rel))
}

// ReadSample reads a file under the fixtures' samples/ folder. A fixtures
// folder without it fails the test.
func ReadSample(t testing.TB, rel string) []byte {
	t.Helper()
	b, err := os.ReadFile(Sample(t, rel))
	if err != nil {
		t.Fatalf("X-Road sample %s: %v", rel, err)
	}
	return b
}

// SampleSeeds returns the contents of the named sample files that exist, for
// fuzz targets' seed corpora; without fixtures it returns none.
func SampleSeeds(rels ...string) [][]byte {
	dir, err := FixturesDir()
	if err != nil {
		return nil
	}
	var seeds [][]byte
	for _, rel := range rels {
		if b, err := os.ReadFile(filepath.Join(dir, "samples", filepath.FromSlash(rel))); err == nil {
			seeds = append(seeds, b)
		}
	}
	return seeds
}
