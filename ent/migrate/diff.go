//go:build ignore

// diff.go writes a new versioned migration (for one dialect) that brings a
// database built from the committed migrations to the current ent schema.
//
//	go run ./ent/migrate/diff.go -dialect sqlite -name add_x
//	go run ./ent/migrate/diff.go -dialect postgres -dev-url 'postgres://postgres@127.0.0.1:55432/atlasdev?sslmode=disable' -name add_x
//
// `make migration name=add_x` does both (starting a throwaway PostgreSQL).
package main

import (
	"context"
	"database/sql"
	"flag"
	"log"
	"path/filepath"

	atlas "ariga.io/atlas/sql/migrate"
	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/sql/schema"
	_ "github.com/lib/pq"
	"modernc.org/sqlite"

	"github.com/roadreg/roadreg/ent/migrate"
)

func main() {
	dialectName := flag.String("dialect", "sqlite", "sqlite or postgres")
	devURL := flag.String("dev-url", "", "dev database URL (default: in-memory SQLite)")
	name := flag.String("name", "", "migration name")
	flag.Parse()
	if *name == "" {
		log.Fatal("-name is required")
	}
	sql.Register("sqlite3", &sqlite.Driver{})
	d := dialect.SQLite
	url := *devURL
	if *dialectName == "postgres" {
		d = dialect.Postgres
	} else if url == "" {
		url = "sqlite://roadreg-dev?mode=memory&cache=shared&_fk=1"
	}
	dir, err := atlas.NewLocalDir(filepath.Join("ent", "migrate", "migrations", *dialectName))
	if err != nil {
		log.Fatalf("migration dir: %v", err)
	}
	err = migrate.NamedDiff(context.Background(), url, *name,
		schema.WithDir(dir),
		schema.WithMigrationMode(schema.ModeReplay),
		schema.WithDialect(d),
		schema.WithFormatter(atlas.DefaultFormatter),
		migrate.WithDropIndex(true),
		migrate.WithDropColumn(true),
	)
	if err != nil {
		log.Fatalf("generating migration: %v", err)
	}
}
