package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"sync"

	"github.com/roadreg/roadreg/ent"
)

// WithTx runs fn in one transaction of client, the way every change of
// state in both server roles is made: committed when fn returns nil, rolled
// back when it returns an error or panics (the panic goes on). Work that
// must follow a successful commit only — publishing events, triggering
// configuration generation — is registered inside fn with AfterCommit.
func WithTx(ctx context.Context, client *ent.Client, fn func(tx *ent.Tx) error) error {
	tx, err := client.Tx(ctx)
	if err != nil {
		return fmt.Errorf("starting a transaction: %w", err)
	}
	defer func() {
		if v := recover(); v != nil {
			_ = tx.Rollback()
			panic(v)
		}
	}()
	if err := fn(tx); err != nil {
		// A transaction whose context ended is rolled back already
		// (database/sql): nothing to report then.
		if rerr := tx.Rollback(); rerr != nil && !errors.Is(rerr, sql.ErrTxDone) {
			slog.ErrorContext(ctx, "rolling back", "err", rerr)
		}
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("committing: %w", err)
	}
	return nil
}

// afterCommit holds the work registered on each open transaction.
var afterCommit sync.Map // *ent.Tx → *[]func()

// AfterCommit runs fn once tx has committed, and never when it rolls back
// or the commit fails. Work registered on one transaction runs in the order
// it was registered.
func AfterCommit(tx *ent.Tx, fn func()) {
	fns := &[]func(){}
	if v, loaded := afterCommit.LoadOrStore(tx, fns); loaded {
		fns = v.(*[]func())
		*fns = append(*fns, fn)
		return
	}
	*fns = append(*fns, fn)
	tx.OnCommit(func(next ent.Committer) ent.Committer {
		return ent.CommitFunc(func(ctx context.Context, tx *ent.Tx) error {
			err := next.Commit(ctx, tx)
			afterCommit.Delete(tx)
			if err == nil {
				for _, f := range *fns {
					f()
				}
			}
			return err
		})
	})
	tx.OnRollback(func(next ent.Rollbacker) ent.Rollbacker {
		return ent.RollbackFunc(func(ctx context.Context, tx *ent.Tx) error {
			afterCommit.Delete(tx)
			return next.Rollback(ctx, tx)
		})
	})
}
