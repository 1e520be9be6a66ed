package central

import (
	"context"

	"github.com/roadreg/roadreg/ent"
	"github.com/roadreg/roadreg/ent/intercept"
	"github.com/roadreg/roadreg/ent/member"
	"github.com/roadreg/roadreg/ent/memberclass"
	"github.com/roadreg/roadreg/internal/viewer"
	"github.com/roadreg/roadreg/internal/xroad"
)

type memberClassesKey struct{}

// WithMemberClasses returns ctx under which every member ent loads comes
// with its member class (one more statement per query, not per member), so
// rendering the identifiers of a page of members or security servers
// (MemberID, ServerID) needs no query per row.
func WithMemberClasses(ctx context.Context) context.Context {
	return context.WithValue(ctx, memberClassesKey{}, true)
}

// memberClassLoader is the interceptor behind WithMemberClasses; New
// registers it on the client.
var memberClassLoader = intercept.TraverseMember(func(ctx context.Context, q *ent.MemberQuery) error {
	if ctx.Value(memberClassesKey{}) != nil {
		q.WithMemberClass()
	}
	return nil
})

// ServerID renders a security server's INSTANCE/CLASS/CODE/SERVERCODE.
func (s *Service) ServerID(ctx context.Context, srv *ent.SecurityServer) (string, error) {
	instance, err := s.Instance(ctx)
	if err != nil {
		return "", err
	}
	owner := srv.Edges.Owner
	if owner == nil {
		if owner, err = srv.QueryOwner().WithMemberClass().Only(ctx); err != nil {
			return "", err
		}
	}
	mc := owner.Edges.MemberClass
	if mc == nil {
		if mc, err = owner.QueryMemberClass().Only(ctx); err != nil {
			return "", err
		}
	}
	id := xroad.ServerID{Owner: xroad.ClientID{Instance: instance, MemberClass: mc.Code, MemberCode: owner.MemberCode}, ServerCode: srv.ServerCode}
	return id.String(), nil
}

// OwnerName is the name of the member that owns the server a request is
// about, or nil when that member does not exist (yet).
func (s *Service) OwnerName(ctx context.Context, r *ent.ManagementRequest) (*string, error) {
	m, err := s.client.Member.Query().Where(member.MemberCode(r.ServerOwnerCode),
		member.HasMemberClassWith(memberclass.Code(r.ServerOwnerClass))).Only(viewer.Elevated(ctx))
	if ent.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &m.Name, nil
}
