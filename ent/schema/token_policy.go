package schema

import (
	"entgo.io/ent"

	"github.com/roadreg/roadreg/internal/viewer"
)

// Policy of Token.
func (Token) Policy() ent.Policy { return readableWith(viewer.SSViewKeys) }
