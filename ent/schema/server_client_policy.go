package schema

import (
	"entgo.io/ent"

	"github.com/roadreg/roadreg/internal/viewer"
)

// Policy of ServerClient.
func (ServerClient) Policy() ent.Policy {
	return readableWith(viewer.SSViewClients, viewer.SSViewKeys, viewer.SSInitConfig)
}
