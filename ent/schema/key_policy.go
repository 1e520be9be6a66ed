package schema

import (
	"entgo.io/ent"

	"github.com/roadreg/roadreg/internal/viewer"
)

// Policy of Key.
func (Key) Policy() ent.Policy { return readableWith(viewer.SSViewKeys) }
