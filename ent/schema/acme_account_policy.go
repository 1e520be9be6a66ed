package schema

import (
	"entgo.io/ent"

	"github.com/roadreg/roadreg/internal/viewer"
)

// Policy of AcmeAccount.
func (AcmeAccount) Policy() ent.Policy { return readableWith(viewer.SSViewKeys) }
