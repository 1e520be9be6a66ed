package security

import (
	"context"
	"slices"
	"sort"

	"github.com/roadreg/roadreg/ent"
	"github.com/roadreg/roadreg/internal/globalconf"
	"github.com/roadreg/roadreg/internal/viewer"
	"github.com/roadreg/roadreg/internal/xroad"
)

// Client is a client of this security server as MEMBER_44 shows it.
type Client struct {
	ID xroad.ClientID
	// Name is the member's name in the configuration ("" when unknown).
	Name   string
	Owner  bool
	Status xroad.ClientStatus
}

// SecurityServerClients lists the clients, the owner first (MEMBER_44).
func (s *Service) SecurityServerClients(ctx context.Context) ([]Client, error) {
	if err := viewer.Require(ctx, viewer.SSViewClients); err != nil {
		return nil, err
	}
	sys := system(ctx)
	conf, err := s.serverConf(sys)
	if ent.IsNotFound(err) {
		return []Client{}, nil
	}
	if err != nil {
		return nil, err
	}
	rows, err := s.client.ServerClient.Query().All(sys)
	if err != nil {
		return nil, err
	}
	snap := s.snap.Load()
	out := make([]Client, 0, len(rows))
	for _, r := range rows {
		c := Client{ID: clientIDOf(r), Status: r.Status, Owner: conf.Edges.Owner != nil && conf.Edges.Owner.ID == r.ID}
		if snap != nil && snap.Shared != nil {
			c.Name, _ = snap.Shared.MemberName(c.ID)
		}
		out = append(out, c)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Owner != out[j].Owner {
			return out[i].Owner
		}
		return out[i].ID.String() < out[j].ID.String()
	})
	return out, nil
}

// ApprovedCertificationAuthorities lists the approved CAs of the
// configuration.
func (s *Service) ApprovedCertificationAuthorities(ctx context.Context) ([]globalconf.ApprovedCA, error) {
	if err := viewer.Require(ctx, viewer.SSViewApprovedCAs); err != nil {
		return nil, err
	}
	snap, err := s.currentConf()
	if err != nil {
		return nil, err
	}
	return slices.Clone(snap.Shared.ApprovedCAs), nil
}

// MemberName returns the name of member (class, code) of this instance in
// the configuration; ok is false when the configuration does not know it.
func (s *Service) MemberName(ctx context.Context, memberClass, memberCode string) (name string, ok bool, err error) {
	if err := viewer.Require(ctx, viewer.SSInitConfig, viewer.SSViewClients); err != nil {
		return "", false, err
	}
	snap := s.snap.Load()
	if snap == nil || snap.Shared == nil {
		return "", false, nil
	}
	id := xroad.ClientID{Instance: snap.Instance, MemberClass: xroad.Trim(memberClass), MemberCode: xroad.Trim(memberCode)}
	name, ok = snap.Shared.MemberName(id)
	return name, ok, nil
}
