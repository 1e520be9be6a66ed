package schema

import (
	"entgo.io/ent"

	"github.com/roadreg/roadreg/internal/viewer"
)

// Policy of GlobalGroup.
func (GlobalGroup) Policy() ent.Policy { return readableWith(viewer.CSViewMembers) }
