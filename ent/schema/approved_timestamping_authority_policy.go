package schema

import (
	"entgo.io/ent"

	"github.com/roadreg/roadreg/internal/viewer"
)

// Policy of ApprovedTimestampingAuthority.
func (ApprovedTimestampingAuthority) Policy() ent.Policy {
	return readableWith(viewer.CSViewApprovedTSAs)
}
