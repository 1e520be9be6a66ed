package schema

import (
	"entgo.io/ent"

	"github.com/roadreg/roadreg/internal/viewer"
)

// Policy of TimestampingService.
func (TimestampingService) Policy() ent.Policy { return readableWith(viewer.SSViewTSPs) }
