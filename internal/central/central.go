// Package central is the central server's workflow: initialisation, member
// classes, members, approved trust services, management requests and their
// approval (MEMBER_10, 12, 27/28, 36), and the configuration signing key.
package central

import (
	"context"

	"github.com/roadreg/roadreg/ent"
	"github.com/roadreg/roadreg/internal/events"
	"github.com/roadreg/roadreg/internal/viewer"
)

// Service runs the central server's workflow.
type Service struct {
	client *ent.Client
	events *events.Broker
}

// NewService returns the central server's service.
func NewService(client *ent.Client, broker *events.Broker) *Service {
	return &Service{client: client, events: broker}
}

// Info says whether the central server is initialised and its instance.
type Info struct {
	Initialized bool
	Instance    string
}

// Info returns the server's initialisation state.
func (s *Service) Info(ctx context.Context) (Info, error) {
	conf, err := s.client.CentralServerConf.Query().Only(viewer.SystemContext(ctx, viewer.Central))
	if ent.IsNotFound(err) {
		return Info{}, nil
	}
	if err != nil {
		return Info{}, err
	}
	return Info{Initialized: true, Instance: conf.InstanceIdentifier}, nil
}
