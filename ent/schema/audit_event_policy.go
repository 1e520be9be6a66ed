package schema

import (
	"entgo.io/ent"

	"github.com/roadreg/roadreg/internal/viewer"
)

// Policy of AuditEvent.
func (AuditEvent) Policy() ent.Policy {
	return readableWith(viewer.CSViewAuditLog, viewer.SSViewAuditLog)
}
