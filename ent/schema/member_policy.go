package schema

import (
	"entgo.io/ent"

	"github.com/roadreg/roadreg/internal/viewer"
)

// Policy of Member.
func (Member) Policy() ent.Policy {
	return readableWith(viewer.CSViewMembers, viewer.CSViewSecurityServers, viewer.CSViewManagementRequests)
}
