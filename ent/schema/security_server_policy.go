package schema

import (
	"entgo.io/ent"

	"github.com/roadreg/roadreg/internal/viewer"
)

// Policy of SecurityServer.
func (SecurityServer) Policy() ent.Policy {
	return readableWith(viewer.CSViewSecurityServers, viewer.CSViewMembers)
}
