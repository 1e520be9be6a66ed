package schema

import (
	"entgo.io/ent"

	"github.com/roadreg/roadreg/internal/viewer"
)

// Policy of OcspResponder.
func (OcspResponder) Policy() ent.Policy { return readableWith(viewer.CSViewApprovedCAs) }
