package central

import (
	"context"
	"net"
	"slices"
	"time"

	"github.com/roadreg/roadreg/ent"
	"github.com/roadreg/roadreg/internal/cluster"
	"github.com/roadreg/roadreg/internal/globalconf"
	"github.com/roadreg/roadreg/internal/viewer"
	"github.com/roadreg/roadreg/internal/xroad"
)

var splitHostPort = net.SplitHostPort

// ConfigurationAnchor returns the internal configuration anchor security
// servers are initialised from (X-Road configurationAnchor XML). It changes
// when the signing keys or the central server's address change.
func (s *Service) ConfigurationAnchor(ctx context.Context) ([]byte, error) {
	if err := viewer.Require(ctx, viewer.CSDownloadSourceAnchor); err != nil {
		return nil, err
	}
	return s.anchor(viewer.Elevated(ctx))
}

func (s *Service) anchor(ctx context.Context) ([]byte, error) {
	conf, err := s.conf(ctx)
	if err != nil {
		return nil, err
	}
	certs, generated, err := s.signingCerts(ctx)
	if err != nil {
		return nil, err
	}
	if len(certs) == 0 {
		return nil, xroad.Errorf(xroad.CodeSigningKeyNotAvailable, "there is no active configuration-signing key, so no anchor can be made")
	}
	addrs, err := s.addresses(ctx, conf)
	if err != nil {
		return nil, err
	}
	a := globalconf.Anchor{GeneratedAt: generated.UTC(), Instance: conf.InstanceIdentifier}
	for _, addr := range addrs {
		a.Sources = append(a.Sources, globalconf.AnchorSource{DownloadURL: s.urlOf(addr) + globalconf.PathDirectory, VerificationCerts: certs})
	}
	return globalconf.BuildAnchor(a)
}

// addresses are where security servers reach the central server: its
// address (one replica, or the load balancer in front of several), then
// the addresses of the replicas that have their own.
func (s *Service) addresses(ctx context.Context, conf *ent.CentralServerConf) ([]string, error) {
	out := []string{conf.CentralServerAddress}
	replicas, err := cluster.Addresses(ctx, s.client)
	if err != nil {
		return nil, err
	}
	for _, a := range replicas {
		if !slices.Contains(out, a) {
			out = append(out, a)
		}
	}
	return out, nil
}

// AnchorInfo describes the current configuration anchor: what security
// server administrators compare after uploading it.
type AnchorInfo struct {
	Hash        string
	GeneratedAt time.Time
	Instance    string
}

// ConfigurationAnchorInfo returns the hash (SHA-224, upper-case hex),
// generation time and instance of the anchor ConfigurationAnchor returns.
func (s *Service) ConfigurationAnchorInfo(ctx context.Context) (*AnchorInfo, error) {
	if err := viewer.Require(ctx, viewer.CSDownloadSourceAnchor, viewer.CSViewGlobalConf); err != nil {
		return nil, err
	}
	b, err := s.anchor(viewer.Elevated(ctx))
	if err != nil {
		return nil, err
	}
	a, err := globalconf.ParseAnchor(b)
	if err != nil {
		return nil, err
	}
	return &AnchorInfo{Hash: globalconf.AnchorHash(b), GeneratedAt: a.GeneratedAt, Instance: a.Instance}, nil
}
