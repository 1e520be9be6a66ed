package db_test

import (
	"context"
	"errors"
	"testing"

	"github.com/roadreg/roadreg/ent"
	"github.com/roadreg/roadreg/internal/db"
	"github.com/roadreg/roadreg/internal/testenv"
	"github.com/roadreg/roadreg/internal/viewer"
)

// TestWithTx: a transaction commits when its function returns nil and rolls
// back on an error or a panic; work registered with AfterCommit runs, in
// order, only after a commit.
func TestWithTx(t *testing.T) {
	errBoom := errors.New("boom")
	for _, tc := range []struct {
		name      string
		fail      error // returned by fn
		panics    bool
		committed bool
	}{
		{"commit", nil, false, true},
		{"error rolls back", errBoom, false, false},
		{"panic rolls back", nil, true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := viewer.SystemContext(context.Background(), viewer.Central)
			d, err := db.Open(ctx, testenv.DB(t).URL)
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			var ran []int
			var panicked any
			func() {
				defer func() { panicked = recover() }()
				err = db.WithTx(ctx, d.Client, func(tx *ent.Tx) error {
					if err := tx.MemberClass.Create().SetCode("GOV").SetDescription("Government").Exec(ctx); err != nil {
						return err
					}
					db.AfterCommit(tx, func() { ran = append(ran, 1) })
					db.AfterCommit(tx, func() { ran = append(ran, 2) })
					if tc.panics {
						panic("fn panicked")
					}
					return tc.fail
				})
			}()
			if tc.panics != (panicked != nil) {
				t.Fatalf("panic = %v, want a panic: %v", panicked, tc.panics)
			}
			if !tc.panics && !errors.Is(err, tc.fail) {
				t.Fatalf("WithTx = %v, want %v", err, tc.fail)
			}
			n, err := d.Client.MemberClass.Query().Count(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if committed := n == 1; committed != tc.committed {
				t.Errorf("%d rows after WithTx, committed = %v, want %v", n, committed, tc.committed)
			}
			if want := map[bool]int{true: 2, false: 0}[tc.committed]; len(ran) != want || (want == 2 && (ran[0] != 1 || ran[1] != 2)) {
				t.Errorf("after-commit work ran %v, want %d calls in order", ran, want)
			}
		})
	}
}
