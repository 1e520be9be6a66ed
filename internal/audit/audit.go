// Package audit writes the audit log: X-Road's event names ("Add member",
// "Approve management request", …), who did it and the details, to the
// audit_events table and to the structured log. Callers never put secrets
// into Data.
package audit

import (
	"context"
	"encoding/json"
	"log/slog"

	"github.com/roadreg/roadreg/ent"
	"github.com/roadreg/roadreg/internal/viewer"
)

// Entry is one audit event.
type Entry struct {
	Event string
	// Actor defaults to the viewer in the context.
	Actor  string
	Failed bool
	Data   map[string]any
}

// Log records e with client (pass a transaction's client to make the entry
// part of that transaction). Failures to write are logged, not returned:
// the audited action has already happened or failed.
func Log(ctx context.Context, client *ent.Client, e Entry) { Record(ctx, client, e) }

// Record is Log returning the entry's id (0 when it could not be written),
// for events that announce the entry itself.
func Record(ctx context.Context, client *ent.Client, e Entry) int {
	if e.Actor == "" {
		if v := viewer.FromContext(ctx); v != nil {
			e.Actor = v.Username
		} else {
			e.Actor = "anonymous"
		}
	}
	event := e.Event
	if e.Failed {
		event += " failed"
	}
	var data string
	if len(e.Data) > 0 {
		b, err := json.Marshal(e.Data)
		if err == nil {
			data = string(b)
		}
	}
	slog.LogAttrs(ctx, slog.LevelInfo, "audit", slog.String("event", event), slog.String("actor", e.Actor), slog.String("data", data))
	sys := ctx
	if v := viewer.FromContext(ctx); v != nil {
		sys = viewer.SystemContext(ctx, v.Server)
	}
	c := client.AuditEvent.Create().SetEvent(event).SetActor(e.Actor).SetSuccess(!e.Failed)
	if data != "" {
		c.SetData(data)
	}
	row, err := c.Save(sys)
	if err != nil {
		slog.ErrorContext(ctx, "writing audit event", "event", event, "err", err)
		return 0
	}
	return row.ID
}
