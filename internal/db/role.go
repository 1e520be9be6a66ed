package db

import (
	"context"
	"fmt"
	"strings"

	"github.com/roadreg/roadreg/ent"
	"github.com/roadreg/roadreg/ent/databaserole"
	"github.com/roadreg/roadreg/internal/viewer"
	"github.com/roadreg/roadreg/internal/xroad"
)

// ServerRole returns the kind of server the database belongs to, recording
// it on first use. A database records its role once: from want on a new
// database, or, for a database from before the record existed, from its
// configuration rows (a central server's or a security server's). When
// want is given it must match the recorded role (WRONG_SERVER_ROLE
// otherwise). The result is "" only for a new database and an empty want:
// nothing is recorded then.
func (d *Database) ServerRole(ctx context.Context, want viewer.ServerRole) (viewer.ServerRole, error) {
	var got viewer.ServerRole
	err := inTx(viewer.SystemContext(ctx, want), d.Client, func(tx *ent.Tx) error {
		var err error
		got, err = recordedRole(ctx, tx, want)
		return err
	})
	if err != nil {
		return "", err
	}
	if want != "" && got != want {
		return "", xroad.Errorf(xroad.CodeWrongServerRole, "database %s belongs to a %s server, not a %s server",
			d.DSN, strings.ToLower(string(got)), strings.ToLower(string(want)))
	}
	return got, nil
}

func recordedRole(ctx context.Context, tx *ent.Tx, want viewer.ServerRole) (viewer.ServerRole, error) {
	ctx = viewer.SystemContext(ctx, want)
	rec, err := tx.DatabaseRole.Query().Only(ctx)
	if err == nil {
		return viewer.ServerRole(rec.Role), nil
	}
	if !ent.IsNotFound(err) {
		return "", fmt.Errorf("reading the database's server role: %w", err)
	}
	role := want
	isCentral, err := tx.CentralServerConf.Query().Exist(ctx)
	if err != nil {
		return "", err
	}
	isSecurity, err := tx.SecurityServerConf.Query().Exist(ctx)
	if err != nil {
		return "", err
	}
	switch {
	case isCentral && isSecurity:
		return "", fmt.Errorf("the database holds both a central server's and a security server's configuration")
	case isCentral:
		role = viewer.Central
	case isSecurity:
		role = viewer.Security
	}
	if role == "" {
		return "", nil
	}
	if err := tx.DatabaseRole.Create().SetRole(databaserole.Role(role)).Exec(ctx); err != nil {
		return "", fmt.Errorf("recording the database's server role: %w", err)
	}
	return role, nil
}

// inTx runs fn in a transaction, committed when fn returns nil.
func inTx(ctx context.Context, client *ent.Client, fn func(tx *ent.Tx) error) error {
	tx, err := client.Tx(ctx)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}
