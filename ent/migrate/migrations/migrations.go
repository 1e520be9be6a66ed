// Package migrations embeds the committed, versioned SQL migrations (one
// folder per dialect, written by ent/migrate/diff.go) so the binary can
// apply them at start-up.
package migrations

import "embed"

// FS holds postgres/*.sql and sqlite/*.sql with their atlas.sum files.
//
//go:embed postgres sqlite
var FS embed.FS
