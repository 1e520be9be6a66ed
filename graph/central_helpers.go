package graph

import (
	"context"

	"github.com/roadreg/roadreg/ent"
	"github.com/roadreg/roadreg/ent/managementrequest"
	"github.com/roadreg/roadreg/ent/member"
	"github.com/roadreg/roadreg/graph/model"
	"github.com/roadreg/roadreg/internal/central"
	"github.com/roadreg/roadreg/internal/cluster"
	"github.com/roadreg/roadreg/internal/globalconf"
	"github.com/roadreg/roadreg/internal/xroad"
)

// confStatus translates the domain's configuration status.
func confStatus(s globalconf.Status) *model.GlobalConfigurationStatus {
	out := &model.GlobalConfigurationStatus{FailingSince: s.FailingSince}
	if s.Instance != "" {
		out.InstanceIdentifier = &s.Instance
	}
	if s.Version > 0 {
		out.Version = &s.Version
	}
	if !s.GeneratedAt.IsZero() {
		out.GeneratedAt = &s.GeneratedAt
	}
	if !s.ExpiresAt.IsZero() {
		out.ExpiresAt = &s.ExpiresAt
	}
	if !s.LastSuccessAt.IsZero() {
		out.LastSuccessAt = &s.LastSuccessAt
	}
	if s.Error != "" {
		out.Error = &s.Error
	}
	return out
}

// globalConfStatus asks the service of this server's role.
func (r *Resolver) globalConfStatus(ctx context.Context) (*model.GlobalConfigurationStatus, error) {
	var (
		st  globalconf.Status
		err error
	)
	if r.Central != nil {
		st, err = r.Central.GlobalConfStatus(ctx)
	} else {
		st, err = r.Security.GlobalConfStatus(ctx)
	}
	if err != nil {
		return nil, err
	}
	return confStatus(st), nil
}

// memberSearch matches member code or name, case-insensitively.
func memberSearch(search *string) func(*ent.MemberQuery) (*ent.MemberQuery, error) {
	return func(q *ent.MemberQuery) (*ent.MemberQuery, error) {
		if search == nil || *search == "" {
			return q, nil
		}
		return q.Where(member.Or(member.MemberCodeContainsFold(*search), member.NameContainsFold(*search))), nil
	}
}

// requestFilter applies managementRequests' filter arguments.
func requestFilter(status *managementrequest.Status, typ *managementrequest.Type, origin *managementrequest.Origin, serverID *string) func(*ent.ManagementRequestQuery) (*ent.ManagementRequestQuery, error) {
	return func(q *ent.ManagementRequestQuery) (*ent.ManagementRequestQuery, error) {
		if status != nil {
			q = q.Where(managementrequest.StatusEQ(*status))
		}
		if typ != nil {
			q = q.Where(managementrequest.TypeEQ(*typ))
		}
		if origin != nil {
			q = q.Where(managementrequest.OriginEQ(*origin))
		}
		if serverID != nil && *serverID != "" {
			id, err := xroad.ParseServerID(*serverID)
			if err != nil {
				return nil, err
			}
			q = q.Where(managementrequest.ServerInstance(id.Owner.Instance), managementrequest.ServerOwnerClass(id.Owner.MemberClass),
				managementrequest.ServerOwnerCode(id.Owner.MemberCode), managementrequest.ServerCode(id.ServerCode))
		}
		return q, nil
	}
}

// centralSettings translates the central server's system settings (nil
// for the zero value a failed call returns).
func centralSettings(s central.Settings) *model.CentralServerSettings {
	if s.Instance == "" {
		return nil
	}
	out := &model.CentralServerSettings{
		InstanceIdentifier: s.Instance, CentralServerAddress: s.Address,
		ManagementServiceProviderID: s.ManagementServiceProvider.String(), ManagementServiceAddress: s.ManagementServiceAddress,
	}
	if s.ManagementServiceProviderName != "" {
		out.ManagementServiceProviderName = &s.ManagementServiceProviderName
	}
	return out
}

// clusterStatus translates the replicas' state.
func clusterStatus(s *central.ClusterStatus) *model.CentralServerCluster {
	if s == nil {
		return nil
	}
	out := &model.CentralServerCluster{
		HighAvailability: s.HighAvailability, NodeName: s.NodeName, AllNodesOk: s.AllNodesOK,
		Generator: optional(s.Generator), LastGeneratedBy: optional(s.LastGeneratedBy),
	}
	if s.Generator != "" && !s.GeneratorSince.IsZero() {
		out.GeneratorSince = &s.GeneratorSince
	}
	if s.LastVersion > 0 {
		out.LastVersion, out.LastGeneratedAt = &s.LastVersion, &s.LastGeneratedAt
	}
	out.Nodes = mapSlice(s.Nodes, func(n cluster.NodeStatus) *model.CentralServerNode {
		return &model.CentralServerNode{
			Name: n.Name, Address: optional(n.Address), State: model.CentralServerNodeState(n.State),
			StartedAt: n.StartedAt, LastHeartbeatAt: n.HeartbeatAt, StoppedAt: n.StoppedAt,
			SigningTokenLoggedIn: n.SigningTokenLoggedIn, Generator: n.Name == s.Generator, SoftwareVersion: n.SoftwareVersion,
		}
	})
	return out
}

// confVersionModel translates a configuration version with its parts.
func confVersionModel(v central.ConfVersion) *model.GlobalConfigurationVersion {
	return &model.GlobalConfigurationVersion{Version: v.Version, ContentID: v.ContentID, GeneratedAt: v.GeneratedAt,
		ExpiresAt: v.ExpiresAt, Hash: v.Hash, Current: v.Current,
		Parts: mapSlice(v.Parts, func(p central.ConfPart) *model.GlobalConfigurationPart {
			return &model.GlobalConfigurationPart{ContentIdentifier: p.ContentIdentifier, FileName: p.FileName,
				HashAlgorithm: p.HashAlgorithm, Hash: p.Hash, DownloadPath: optional(p.DownloadPath)}
		})}
}

// signingKeyModel translates a configuration-signing key.
func signingKeyModel(k central.SigningKey) (*model.GlobalConfigurationSigningKey, error) {
	cert, err := certDetails(k.Certificate.Raw)
	if err != nil {
		return nil, err
	}
	return &model.GlobalConfigurationSigningKey{KeyID: k.KeyID, SourceType: k.SourceType, Algorithm: k.Algorithm,
		Active: k.Active, CreatedAt: k.CreatedAt, Certificate: cert}, nil
}
