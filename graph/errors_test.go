package graph

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/roadreg/roadreg/internal/viewer"
)

// TestErrorPresenterCancelled: an operation whose caller went away is
// answered REQUEST_CANCELLED and logs nothing at ERROR; a genuine fault
// is INTERNAL and logged at ERROR with its id.
func TestErrorPresenterCancelled(t *testing.T) {
	var logs bytes.Buffer
	old := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelInfo})))
	defer slog.SetDefault(old)
	present := ErrorPresenter(viewer.Central)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	got := present(ctx, context.Canceled)
	if got.Extensions["code"] != codeCancelled || strings.Contains(logs.String(), "ERROR") {
		t.Fatalf("cancelled operation: %v %v, log %q", got.Message, got.Extensions, logs.String())
	}

	got = present(context.Background(), errors.New("disk on fire"))
	if got.Extensions["code"] != "INTERNAL" || !strings.Contains(logs.String(), "level=ERROR") || strings.Contains(got.Message, "disk") {
		t.Fatalf("server fault: %v %v, log %q", got.Message, got.Extensions, logs.String())
	}
}
