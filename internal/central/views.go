package central

import (
	"context"

	"github.com/roadreg/roadreg/ent"
	"github.com/roadreg/roadreg/ent/member"
	"github.com/roadreg/roadreg/ent/memberclass"
	"github.com/roadreg/roadreg/internal/viewer"
	"github.com/roadreg/roadreg/internal/xroad"
)

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

// GenerateNow generates and publishes configuration on demand (GCONF_18).
func (s *Service) GenerateNow(ctx context.Context) error {
	if err := viewer.Require(ctx, viewer.CSGenerateGlobalConf); err != nil {
		return err
	}
	return s.gen.generate(ctx)
}
