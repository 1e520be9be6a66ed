package schema

import (
	"entgo.io/ent"

	"github.com/roadreg/roadreg/internal/viewer"
)

// Policy of ApprovedCertificationService.
func (ApprovedCertificationService) Policy() ent.Policy {
	return readableWith(viewer.CSViewApprovedCAs)
}
