package central

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/roadreg/roadreg/ent"
	"github.com/roadreg/roadreg/ent/member"
	"github.com/roadreg/roadreg/ent/memberclass"
	"github.com/roadreg/roadreg/internal/audit"
	"github.com/roadreg/roadreg/internal/db"
	"github.com/roadreg/roadreg/internal/events"
	"github.com/roadreg/roadreg/internal/viewer"
	"github.com/roadreg/roadreg/internal/xroad"
)

// memberClassDescription is X-Road's pattern for member class descriptions.
func validDescription(s string) bool {
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_,.;:!? ", r)) {
			return false
		}
	}
	return true
}

// AddMemberClass adds a member class (MEMBER_41): the code is upper-cased;
// code and description are unique.
func (s *Service) AddMemberClass(ctx context.Context, code, description string) (*ent.MemberClass, error) {
	if err := viewer.Require(ctx, viewer.CSAddMemberClass); err != nil {
		return nil, err
	}
	code = strings.ToUpper(xroad.Trim(code))
	description = xroad.Trim(description)
	if err := xroad.ValidatePart("code", code); err != nil {
		return nil, err
	}
	if description == "" || utf8.RuneCountInString(description) > xroad.MaxIdentifierPartLength {
		return nil, xroad.BadInput("description", "description is required (at most 255 characters)")
	}
	if !validDescription(description) {
		return nil, xroad.BadInput("description", "description may contain only letters, digits, spaces and - _ , . ; : ! ?")
	}
	ctx = viewer.Elevated(ctx)
	if _, err := s.conf(ctx); err != nil {
		return nil, err
	}
	var mc *ent.MemberClass
	err := db.WithTx(ctx, s.client, func(tx *ent.Tx) error {
		if n, err := tx.MemberClass.Query().Where(memberclass.Code(code)).Count(ctx); err != nil {
			return err
		} else if n > 0 {
			return xroad.Errorf(xroad.CodeMemberClassExists, "member class %s already exists", code).WithMetadata(code)
		}
		if n, err := tx.MemberClass.Query().Where(memberclass.Description(description)).Count(ctx); err != nil {
			return err
		} else if n > 0 {
			return xroad.Errorf(xroad.CodeMemberClassExists, "another member class already has the description %q", description).WithField("description")
		}
		var err error
		mc, err = tx.MemberClass.Create().SetCode(code).SetDescription(description).Save(ctx)
		if err != nil {
			return err
		}
		audit.Log(ctx, tx.Client(), audit.Entry{Event: "Add member class", Data: map[string]any{"code": code, "description": description}})
		db.AfterCommit(tx, s.gen.trigger)
		return nil
	})
	if err != nil {
		s.auditFailure(ctx, "Add member class", err, map[string]any{"code": code})
		return nil, err
	}
	return mc.Unwrap(), nil
}

// AddMember adds an X-Road member (MEMBER_10).
func (s *Service) AddMember(ctx context.Context, class, code, name string) (*ent.Member, error) {
	if err := viewer.Require(ctx, viewer.CSAddMember); err != nil {
		return nil, err
	}
	class, code, name = xroad.Trim(class), xroad.Trim(code), xroad.Trim(name)
	if err := xroad.ValidatePart("memberClass", class); err != nil {
		return nil, err
	}
	if err := xroad.ValidatePart("memberCode", code); err != nil {
		return nil, err
	}
	if name == "" || utf8.RuneCountInString(name) > xroad.MaxIdentifierPartLength {
		return nil, xroad.BadInput("name", "member name is required (at most 255 characters)")
	}
	ctx = viewer.Elevated(ctx)
	if _, err := s.conf(ctx); err != nil {
		return nil, err
	}
	var m *ent.Member
	err := db.WithTx(ctx, s.client, func(tx *ent.Tx) error {
		mc, err := tx.MemberClass.Query().Where(memberclass.Code(class)).Only(ctx)
		if ent.IsNotFound(err) {
			return xroad.Errorf(xroad.CodeMemberClassNotFound, "member class %s does not exist; add it first", class).WithMetadata(class).WithField("memberClass")
		}
		if err != nil {
			return err
		}
		if exists, err := tx.Member.Query().Where(member.MemberCode(code), member.HasMemberClassWith(memberclass.ID(mc.ID))).Exist(ctx); err != nil {
			return err
		} else if exists {
			return xroad.Errorf(xroad.CodeMemberExists, "Member with class %s and code %s already exists", class, code).WithMetadata(class, code)
		}
		m, err = tx.Member.Create().SetMemberClass(mc).SetMemberCode(code).SetName(name).Save(ctx)
		if err != nil {
			return err
		}
		audit.Log(ctx, tx.Client(), audit.Entry{Event: "Add member", Data: map[string]any{"memberClass": class, "memberCode": code, "memberName": name}})
		db.AfterCommit(tx, s.gen.trigger)
		return nil
	})
	if err != nil {
		s.auditFailure(ctx, "Add member", err, map[string]any{"memberClass": class, "memberCode": code})
		return nil, err
	}
	return m.Unwrap(), nil
}

// MemberByID finds a member by INSTANCE/CLASS/CODE.
func (s *Service) memberByID(ctx context.Context, c *ent.Client, id xroad.ClientID) (*ent.Member, error) {
	return c.Member.Query().Where(member.MemberCode(id.MemberCode), member.HasMemberClassWith(memberclass.Code(id.MemberClass))).Only(ctx)
}

// auditFailure records a failed change in the audit log.
func (s *Service) auditFailure(ctx context.Context, event string, err error, data map[string]any) {
	if data == nil {
		data = map[string]any{}
	}
	if code := xroad.CodeOf(err); code != "" {
		data["error"] = code
	} else {
		data["error"] = "INTERNAL"
	}
	audit.Log(ctx, s.client, audit.Entry{Event: event, Failed: true, Data: data})
}

// MemberID renders a member's INSTANCE/CLASS/CODE.
func (s *Service) MemberID(ctx context.Context, m *ent.Member) (string, error) {
	instance, err := s.Instance(ctx)
	if err != nil {
		return "", err
	}
	mc := m.Edges.MemberClass
	if mc == nil {
		if mc, err = m.QueryMemberClass().Only(ctx); err != nil {
			return "", err
		}
	}
	return fmt.Sprintf("%s/%s/%s", instance, mc.Code, m.MemberCode), nil
}

// publishRequest announces a changed management request after commit.
func (s *Service) publishRequest(tx *ent.Tx, ids ...int) {
	db.AfterCommit(tx, func() {
		for _, id := range ids {
			s.events.Publish(events.Event{Topic: events.ManagementRequestChanged, ID: id})
		}
	})
}
