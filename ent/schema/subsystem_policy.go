package schema

import (
	"entgo.io/ent"

	"github.com/roadreg/roadreg/internal/viewer"
)

// Policy of Subsystem.
func (Subsystem) Policy() ent.Policy { return readableWith(viewer.CSViewMembers) }
