package security

import (
	"context"
	"time"

	"github.com/roadreg/roadreg/ent"
	"github.com/roadreg/roadreg/ent/timestampingservice"
	"github.com/roadreg/roadreg/internal/db"
	"github.com/roadreg/roadreg/internal/globalconf"
	"github.com/roadreg/roadreg/internal/viewer"
	"github.com/roadreg/roadreg/internal/xroad"
)

// ApprovedTimestampingServices lists the approved TSAs of the configuration
// as unsaved rows (ID 0).
func (s *Service) ApprovedTimestampingServices(ctx context.Context) ([]*ent.TimestampingService, error) {
	if err := viewer.Require(ctx, viewer.SSViewTSPs); err != nil {
		return nil, err
	}
	snap, err := s.currentConf()
	if err != nil {
		return nil, err
	}
	out := []*ent.TimestampingService{}
	for _, t := range snap.Shared.ApprovedTSAs {
		out = append(out, &ent.TimestampingService{Name: t.Name, URL: t.URL})
	}
	return out, nil
}

// TimestampingServices lists the timestamping services configured here.
func (s *Service) TimestampingServices(ctx context.Context) ([]*ent.TimestampingService, error) {
	if err := viewer.Require(ctx, viewer.SSViewTSPs); err != nil {
		return nil, err
	}
	return s.client.TimestampingService.Query().Order(ent.Asc(timestampingservice.FieldID)).All(system(ctx))
}

// AddTimestampingService configures an approved TSA (SS_07): name and URL
// must match one exactly, and it must not be configured yet.
func (s *Service) AddTimestampingService(ctx context.Context, name, url string) (*ent.TimestampingService, error) {
	if err := viewer.Require(ctx, viewer.SSAddTSP); err != nil {
		return nil, err
	}
	name, url = xroad.Trim(name), xroad.Trim(url)
	data := map[string]any{"name": name, "url": url}
	for _, f := range [][2]string{{"name", name}, {"url", url}} {
		if f[1] == "" || len(f[1]) > xroad.MaxIdentifierPartLength {
			return nil, s.failed(ctx, evAddTSP, data, xroad.BadInput(f[0], "%s is required and may have at most %d characters", f[0], xroad.MaxIdentifierPartLength))
		}
	}
	snap, err := s.currentConf()
	if err != nil {
		return nil, s.failed(ctx, evAddTSP, data, err)
	}
	if _, ok := snap.Shared.ApprovedTSA(name, url); !ok {
		return nil, s.failed(ctx, evAddTSP, data, xroad.Errorf(xroad.CodeTimestampingServiceNotFound,
			"Timestamping service %q with URL %s is not an approved timestamping authority; pick one from the approved list", name, url))
	}
	sys := system(ctx)
	var row *ent.TimestampingService
	err = db.WithTx(sys, s.client, func(tx *ent.Tx) error {
		exists, err := tx.TimestampingService.Query().Where(timestampingservice.Name(name), timestampingservice.URL(url)).Exist(sys)
		if err != nil {
			return err
		}
		if !exists {
			row, err = tx.TimestampingService.Create().SetName(name).SetURL(url).Save(sys)
		}
		if exists || ent.IsConstraintError(err) {
			return xroad.Errorf(xroad.CodeTimestampingServiceExists, "Timestamping service %q with URL %s is already configured", name, url)
		}
		if err != nil {
			return err
		}
		record(ctx, tx.Client(), evAddTSP, data)
		return nil
	})
	if err != nil {
		return nil, s.failed(ctx, evAddTSP, data, err)
	}
	return row.Unwrap(), nil // created in the transaction: detach it from it
}

// TimestampingCheck is the result of a reachability check.
type TimestampingCheck struct {
	URL       string
	Reachable bool
	// Error says why the service did not give a valid timestamp.
	Error     string
	CheckedAt time.Time
}

// CheckTimestampingService sends a real RFC 3161 request to an approved
// TSA's URL and verifies the answer's signer with the TSA's certificate
// from the configuration. Only approved URLs are contacted.
func (s *Service) CheckTimestampingService(ctx context.Context, url string) (TimestampingCheck, error) {
	if err := viewer.Require(ctx, viewer.SSViewTSPs); err != nil {
		return TimestampingCheck{}, err
	}
	url = xroad.Trim(url)
	snap, err := s.currentConf()
	if err != nil {
		return TimestampingCheck{}, err
	}
	if approvedTSAByURL(snap, url) == nil {
		return TimestampingCheck{}, xroad.Errorf(xroad.CodeTimestampingServiceNotFound,
			"%s is not the URL of an approved timestamping authority", url)
	}
	c := ServiceCheck{URL: url}
	s.checkTSA(ctx, snap, &c)
	return TimestampingCheck{URL: url, Reachable: c.Reachable, Error: c.Error, CheckedAt: s.now()}, nil
}

func approvedTSAByURL(snap *globalconf.Snapshot, url string) *globalconf.ApprovedTSA {
	for i, t := range snap.Shared.ApprovedTSAs {
		if t.URL == url {
			return &snap.Shared.ApprovedTSAs[i]
		}
	}
	return nil
}

// DeleteTimestampingService removes a configured timestamping service
// (SS_08); the approved list in global configuration is unaffected.
func (s *Service) DeleteTimestampingService(ctx context.Context, id int) error {
	if err := viewer.Require(ctx, viewer.SSDeleteTSP); err != nil {
		return err
	}
	sys := system(ctx)
	data := map[string]any{"id": id}
	err := db.WithTx(sys, s.client, func(tx *ent.Tx) error {
		row, err := tx.TimestampingService.Get(sys, id)
		if ent.IsNotFound(err) {
			return xroad.Errorf(xroad.CodeTimestampingServiceNotFound, "No timestamping service with id %d is configured on this server", id)
		}
		if err != nil {
			return err
		}
		data = map[string]any{"name": row.Name, "url": row.URL}
		if err := tx.TimestampingService.DeleteOne(row).Exec(sys); err != nil {
			return err
		}
		record(ctx, tx.Client(), evDeleteTSP, data)
		return nil
	})
	return s.failed(ctx, evDeleteTSP, data, err)
}
