// Package security is the security server's workflow: initialisation from
// a configuration anchor, tokens, keys, CSRs, certificates, timestamping
// services, registration of the authentication certificate and its
// activation (SS_07, 19, 24, 28–30, 32, 34; MEMBER_44).
package security

import (
	"context"

	"github.com/roadreg/roadreg/ent"
	"github.com/roadreg/roadreg/internal/events"
	"github.com/roadreg/roadreg/internal/viewer"
	"github.com/roadreg/roadreg/internal/xroad"
)

// Service runs the security server's workflow.
type Service struct {
	client *ent.Client
	events *events.Broker
}

// NewService returns the security server's service.
func NewService(client *ent.Client, broker *events.Broker) *Service {
	return &Service{client: client, events: broker}
}

// Info is the security server's initialisation state (§3.1).
type Info struct {
	AnchorImported bool
	Initialized    bool
	Instance       string
	// ServerID is set once the server is initialised.
	ServerID *xroad.ServerID
}

// Info returns the server's initialisation state.
func (s *Service) Info(ctx context.Context) (Info, error) {
	conf, err := s.client.SecurityServerConf.Query().WithOwner().Only(viewer.SystemContext(ctx, viewer.Security))
	if ent.IsNotFound(err) {
		return Info{}, nil
	}
	if err != nil {
		return Info{}, err
	}
	info := Info{AnchorImported: true, Instance: conf.InstanceIdentifier}
	if conf.InitializedAt != nil && conf.Edges.Owner != nil {
		o := conf.Edges.Owner
		info.Initialized = true
		info.ServerID = &xroad.ServerID{
			Owner:      xroad.ClientID{Instance: o.Instance, MemberClass: o.MemberClass, MemberCode: o.MemberCode},
			ServerCode: conf.ServerCode,
		}
	}
	return info, nil
}
