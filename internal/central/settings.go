package central

import (
	"context"

	"github.com/roadreg/roadreg/ent"
	"github.com/roadreg/roadreg/internal/audit"
	"github.com/roadreg/roadreg/internal/db"
	"github.com/roadreg/roadreg/internal/viewer"
	"github.com/roadreg/roadreg/internal/xroad"
)

// Settings are the central server's system settings (UG-CS §4, System
// Settings).
type Settings struct {
	Instance string
	Address  string
	// ManagementServiceProvider is the subsystem that provides the
	// management services: private parameters publish it, security servers
	// address their management requests to it, and the management service
	// accepts no request addressed to another.
	ManagementServiceProvider xroad.ClientID
	// ManagementServiceProviderName is the name of the provider's member,
	// "" when the member is not registered.
	ManagementServiceProviderName string
	// ManagementServiceAddress is where security servers send authCertReg.
	ManagementServiceAddress string
}

// defaultProvider is the management service provider of a central server
// initialised without one: <instance>/ORG/CENTRAL/MANAGEMENT.
func defaultProvider(instance string) xroad.ClientID {
	return xroad.ClientID{Instance: instance, MemberClass: defaultProviderClass, MemberCode: defaultProviderCode, SubsystemCode: defaultProviderSubsystem}
}

// parseProvider reads a management service provider id: a subsystem of
// this instance, INSTANCE/CLASS/CODE/SUBSYSTEM.
func parseProvider(instance, id string) (xroad.ClientID, error) {
	const field = "managementServiceProviderId"
	p, err := xroad.ParseSubsystemID(xroad.Trim(id))
	if err != nil {
		return p, xroad.Errorf(xroad.CodeInvalidServiceProviderID,
			"Invalid service provider id %q: the management service provider is a subsystem, INSTANCE/CLASS/CODE/SUBSYSTEM (%s)", id, xroad.Message(err)).
			WithField(field).WithMetadata(id)
	}
	if p.Instance != instance {
		return p, xroad.Errorf(xroad.CodeInvalidServiceProviderID,
			"Invalid service provider id %q: the provider must be a subsystem of this instance, %s", id, instance).
			WithField(field).WithMetadata(id)
	}
	return p, nil
}

// Settings returns the system settings.
func (s *Service) Settings(ctx context.Context) (Settings, error) {
	if err := viewer.Require(ctx, viewer.CSViewSystemSettings); err != nil {
		return Settings{}, err
	}
	ctx = viewer.Elevated(ctx)
	conf, err := s.conf(ctx)
	if err != nil {
		return Settings{}, err
	}
	return s.settings(ctx, s.client, conf)
}

func (s *Service) settings(ctx context.Context, c *ent.Client, conf *ent.CentralServerConf) (Settings, error) {
	st := Settings{
		Instance: conf.InstanceIdentifier, Address: conf.CentralServerAddress,
		ManagementServiceProvider: providerID(conf), ManagementServiceAddress: s.baseURL(conf) + "/managementservice/",
	}
	m, err := s.memberByID(ctx, c, st.ManagementServiceProvider.Member())
	switch {
	case err == nil:
		st.ManagementServiceProviderName = m.Name
	case !ent.IsNotFound(err):
		return Settings{}, err
	}
	return st, nil
}

// SetManagementServiceProvider appoints the subsystem that provides the
// management services (UG-CS §4.2.1): id is INSTANCE/CLASS/CODE/SUBSYSTEM
// of this instance. The next configuration version, generated at once,
// publishes it; from then on the management service accepts only requests
// addressed to it.
//
// X-Road picks the provider from the subsystems registered on the central
// server; Roadreg's central server does not register subsystems yet, so any
// well-formed subsystem of the instance is accepted (as the default
// provider, which is not registered either).
func (s *Service) SetManagementServiceProvider(ctx context.Context, id string) (Settings, error) {
	const event = "Edit provider of management services"
	if err := viewer.Require(ctx, viewer.CSViewSystemSettings); err != nil {
		return Settings{}, err
	}
	ctx = viewer.Elevated(ctx)
	conf, err := s.conf(ctx)
	if err != nil {
		return Settings{}, err
	}
	p, err := parseProvider(conf.InstanceIdentifier, id)
	if err != nil {
		s.auditFailure(ctx, event, err, map[string]any{"serviceProviderIdentifier": id})
		return Settings{}, err
	}
	var st Settings
	err = db.WithTx(ctx, s.client, func(tx *ent.Tx) error {
		conf, err := tx.CentralServerConf.UpdateOne(conf).SetManagementServiceProviderClass(p.MemberClass).
			SetManagementServiceProviderCode(p.MemberCode).SetManagementServiceProviderSubsystem(p.SubsystemCode).Save(ctx)
		if err != nil {
			return err
		}
		if st, err = s.settings(ctx, tx.Client(), conf); err != nil {
			return err
		}
		audit.Log(ctx, tx.Client(), audit.Entry{Event: event, Data: map[string]any{
			"serviceProviderIdentifier": p.String(), "serviceProviderName": st.ManagementServiceProviderName}})
		db.AfterCommit(tx, s.gen.trigger)
		return nil
	})
	if err != nil {
		s.auditFailure(ctx, event, err, map[string]any{"serviceProviderIdentifier": p.String()})
		return Settings{}, err
	}
	return st, nil
}
