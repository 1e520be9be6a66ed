package schema

import (
	"entgo.io/ent"

	"github.com/roadreg/roadreg/internal/viewer"
)

// Policy of ManagementRequest.
func (ManagementRequest) Policy() ent.Policy {
	return readableWith(viewer.CSViewManagementRequests)
}
