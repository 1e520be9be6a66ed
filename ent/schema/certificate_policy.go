package schema

import (
	"entgo.io/ent"

	"github.com/roadreg/roadreg/internal/viewer"
)

// Policy of Certificate.
func (Certificate) Policy() ent.Policy { return readableWith(viewer.SSViewKeys) }
