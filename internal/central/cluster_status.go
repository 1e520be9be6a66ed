package central

import (
	"context"
	"time"

	"github.com/roadreg/roadreg/ent"
	"github.com/roadreg/roadreg/ent/globalconfversion"
	"github.com/roadreg/roadreg/internal/cluster"
	"github.com/roadreg/roadreg/internal/viewer"
	"github.com/roadreg/roadreg/internal/xroad"
)

// ClusterStatus is the state of the central server's replicas, as the
// database shows it (X-Road's high-availability cluster status, IG-CSHA
// §5): who they are, which one generates, the last generation and each
// one's heartbeat.
type ClusterStatus struct {
	// HighAvailability: the database is PostgreSQL, so replicas may be
	// added; on SQLite this server is the only replica.
	HighAvailability bool
	// NodeName is the replica that answered.
	NodeName string
	// Generator is the replica generating global configuration ("" when
	// none can: no replica's signing token is logged in).
	Generator      string
	GeneratorSince time.Time
	// The newest version, when and by which replica it was generated.
	LastVersion     int
	LastGeneratedAt time.Time
	LastGeneratedBy string
	Nodes           []cluster.NodeStatus
	// AllNodesOK: every registered replica's heartbeat is recent.
	AllNodesOK bool
}

// ClusterStatus reads the replicas' state.
func (s *Service) ClusterStatus(ctx context.Context) (*ClusterStatus, error) {
	if err := viewer.Require(ctx, viewer.CSViewGlobalConf); err != nil {
		return nil, err
	}
	ctx = sys(ctx)
	n := s.opts.Cluster
	if n == nil {
		return nil, xroad.Errorf(xroad.CodeInternal, "this central server runs without a replica registry")
	}
	st := &ClusterStatus{HighAvailability: n.Replicated(), NodeName: n.Name(), AllNodesOK: true}
	nodes, _, err := n.Nodes(ctx)
	if err != nil {
		return nil, err
	}
	st.Nodes = nodes
	for i, node := range nodes {
		if node.Name == n.Name() { // this replica knows its own state now
			st.Nodes[i].SigningTokenLoggedIn = s.TokenLoggedIn()
		}
		if node.State != cluster.NodeOK {
			st.AllNodesOK = false
		}
	}
	switch {
	case s.gen.lease != nil:
		info, err := s.gen.lease.Info(ctx)
		if err != nil {
			return nil, err
		}
		st.Generator, st.GeneratorSince = info.Holder, info.AcquiredAt
	case s.TokenLoggedIn(): // the only replica generates whenever it can sign
		st.Generator = n.Name()
	}
	v, err := s.client.GlobalConfVersion.Query().Order(ent.Desc(globalconfversion.FieldVersion)).
		Select(globalconfversion.FieldVersion, globalconfversion.FieldGeneratedAt, globalconfversion.FieldGeneratedBy).First(ctx)
	if err != nil && !ent.IsNotFound(err) {
		return nil, err
	}
	if v != nil {
		st.LastVersion, st.LastGeneratedAt, st.LastGeneratedBy = v.Version, v.GeneratedAt, xroad.Deref(v.GeneratedBy)
	}
	return st, nil
}
