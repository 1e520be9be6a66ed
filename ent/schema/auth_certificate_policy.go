package schema

import (
	"entgo.io/ent"

	"github.com/roadreg/roadreg/internal/viewer"
)

// Policy of AuthCertificate.
func (AuthCertificate) Policy() ent.Policy {
	return readableWith(viewer.CSViewSecurityServers, viewer.CSViewMembers)
}
