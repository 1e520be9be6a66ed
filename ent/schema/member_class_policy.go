package schema

import (
	"entgo.io/ent"

	"github.com/roadreg/roadreg/internal/viewer"
)

// Policy of MemberClass.
func (MemberClass) Policy() ent.Policy {
	return readableWith(viewer.CSViewMemberClasses, viewer.CSViewMembers, viewer.CSAddMember)
}
