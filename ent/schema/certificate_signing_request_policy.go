package schema

import (
	"entgo.io/ent"

	"github.com/roadreg/roadreg/internal/viewer"
)

// Policy of CertificateSigningRequest.
func (CertificateSigningRequest) Policy() ent.Policy { return readableWith(viewer.SSViewKeys) }
