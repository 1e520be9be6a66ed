package security

import (
	"context"
	"errors"
	"strings"

	"github.com/roadreg/roadreg/ent"
	"github.com/roadreg/roadreg/ent/serverclient"
	"github.com/roadreg/roadreg/ent/token"
	"github.com/roadreg/roadreg/internal/db"
	"github.com/roadreg/roadreg/internal/signer"
	"github.com/roadreg/roadreg/internal/signer/softtoken"
	"github.com/roadreg/roadreg/internal/viewer"
	"github.com/roadreg/roadreg/internal/xroad"
)

// InitInput is what initialisation needs (IG-SS, initial configuration). Empty strings are "not
// provided".
type InitInput struct {
	OwnerMemberClass string
	OwnerMemberCode  string
	ServerCode       string
	SoftTokenPIN     string
	IgnoreWarnings   bool
}

// Initialisation parameter problems (INVALID_INIT_PARAMS metadata).
const (
	initServerCodeNotProvided  = "server_code_not_provided"
	initMemberClassNotProvided = "member_class_not_provided"
	initMemberCodeNotProvided  = "member_code_not_provided"
	initPINNotProvided         = "pin_code_not_provided"
	initServerCodeExists       = "server_code_exists"
	initMemberClassExists      = "member_class_exists"
	initMemberCodeExists       = "member_code_exists"
	initPINExists              = "pin_code_exists"
)

// Initialisation warnings (WARNINGS_DETECTED).
const (
	WarnServerCodeExists     = "init_servercode_exists"
	WarnServerOwnerExists    = "init_server_owner_exists"
	WarnSoftTokenInitialized = "init_software_token_initialized"
	WarnUnregisteredMember   = "init_unregistered_member"
	WarnServerIDExists       = "init_server_id_exists"
)

// initState says which parts of initialisation are done (IG-SS, initial configuration); a partly
// initialised server is completed by supplying just the missing parts.
type initState struct {
	ServerCode bool
	Owner      bool
	SoftToken  bool
}

func (st initState) complete() bool { return st.ServerCode && st.Owner && st.SoftToken }

// initParamProblems lists the INVALID_INIT_PARAMS metadata for in given
// the parts already done.
func initParamProblems(st initState, in InitInput) []string {
	var md []string
	check := func(done bool, value, missing, exists string) {
		switch {
		case !done && value == "":
			md = append(md, missing)
		case done && value != "":
			md = append(md, exists)
		}
	}
	check(st.ServerCode, in.ServerCode, initServerCodeNotProvided, initServerCodeExists)
	check(st.Owner, in.OwnerMemberClass, initMemberClassNotProvided, initMemberClassExists)
	check(st.Owner, in.OwnerMemberCode, initMemberCodeNotProvided, initMemberCodeExists)
	check(st.SoftToken, in.SoftTokenPIN, initPINNotProvided, initPINExists)
	return md
}

// initWarnings lists the ignorable findings: parts already done, an owner
// the configuration does not know, a server id the configuration already
// has.
func initWarnings(st initState, owner xroad.ClientID, server xroad.ServerID, ownerKnown, serverKnown bool) []xroad.Warning {
	var ws []xroad.Warning
	if st.ServerCode {
		ws = append(ws, xroad.Warning{Code: WarnServerCodeExists})
	}
	if st.Owner {
		ws = append(ws, xroad.Warning{Code: WarnServerOwnerExists})
	}
	if st.SoftToken {
		ws = append(ws, xroad.Warning{Code: WarnSoftTokenInitialized})
	}
	if !ownerKnown {
		ws = append(ws, xroad.Warning{Code: WarnUnregisteredMember, Metadata: []string{owner.String()}})
	}
	if serverKnown {
		ws = append(ws, xroad.Warning{Code: WarnServerIDExists, Metadata: []string{server.String()}})
	}
	return ws
}

// Initialize initialises the security server (IG-SS, initial configuration): owner member, server
// code and the software token's PIN. The owner client is created SAVED and
// the software token is left logged in, as X-Road does.
func (s *Service) Initialize(ctx context.Context, in InitInput) error {
	if err := viewer.Require(ctx, viewer.SSInitConfig); err != nil {
		return err
	}
	s.confMu.Lock() // no anchor upload or other initialisation meanwhile
	defer s.confMu.Unlock()
	in.OwnerMemberClass, in.OwnerMemberCode, in.ServerCode = xroad.Trim(in.OwnerMemberClass), xroad.Trim(in.OwnerMemberCode), xroad.Trim(in.ServerCode)
	data := map[string]any{"ownerMemberClass": in.OwnerMemberClass, "ownerMemberCode": in.OwnerMemberCode, "serverCode": in.ServerCode}
	plan, err := s.planInit(ctx, in)
	if err != nil {
		return s.failed(ctx, evInitServer, data, err)
	}
	data["ownerId"], data["serverId"] = plan.owner.String(), plan.server.String()

	var soft *softtoken.Token
	var softState []byte
	if !plan.state.SoftToken {
		kdf := softtoken.DefaultKDFParams()
		if s.opts.SoftTokenKDF != nil {
			kdf = *s.opts.SoftTokenKDF
		}
		soft, err = softtoken.NewInitialized(in.SoftTokenPIN, kdf, softtoken.WithClock(s.opts.Now))
		if err != nil {
			return s.failed(ctx, evInitServer, data, err)
		}
		if softState, err = soft.State().MarshalBinary(); err != nil {
			return err
		}
	}

	sys := system(ctx)
	err = db.WithTx(sys, s.client, func(tx *ent.Tx) error {
		c := tx.Client()
		u := c.SecurityServerConf.UpdateOneID(plan.conf.ID)
		if !plan.state.Owner {
			owner, err := ensureClient(sys, c, plan.owner)
			if err != nil {
				return err
			}
			u.SetOwner(owner)
		}
		if !plan.state.ServerCode {
			u.SetServerCode(in.ServerCode)
		}
		if soft != nil {
			if err := c.Token.Create().SetTokenID(signer.SoftTokenID).SetName(signer.SoftTokenName).
				SetType(xroad.TokenSoftware).SetSoftTokenState(softState).Exec(sys); err != nil {
				return err
			}
		}
		if err := u.SetInitializedAt(s.now()).Exec(sys); err != nil {
			return err
		}
		record(ctx, c, evInitServer, data)
		return nil
	})
	if err != nil {
		if soft != nil {
			_ = soft.Logout()
		}
		return s.failed(ctx, evInitServer, data, err)
	}
	if soft != nil {
		s.tokMu.Lock()
		s.soft = soft
		s.tokMu.Unlock()
	}
	s.runChecker(sys)
	return nil
}

// initPlan is what Initialize will do, after every check passed.
type initPlan struct {
	conf   *ent.SecurityServerConf
	state  initState
	owner  xroad.ClientID
	server xroad.ServerID
}

// planInit runs the checks of IG-SS's initial configuration in X-Road's order: anchor, parameters,
// identifiers, PIN, warnings.
func (s *Service) planInit(ctx context.Context, in InitInput) (initPlan, error) {
	sys := system(ctx)
	conf, err := s.serverConf(sys)
	if ent.IsNotFound(err) {
		return initPlan{}, xroad.Errorf(xroad.CodeAnchorNotFound, "No configuration anchor has been uploaded; upload the anchor before initialising the server")
	}
	if err != nil {
		return initPlan{}, err
	}
	hasToken, err := s.client.Token.Query().Where(token.TokenID(signer.SoftTokenID)).Exist(sys)
	if err != nil {
		return initPlan{}, err
	}
	p := initPlan{conf: conf, state: initState{ServerCode: conf.ServerCode != "", Owner: conf.Edges.Owner != nil, SoftToken: hasToken}}
	if p.state.complete() {
		return p, xroad.Errorf(xroad.CodeAlreadyInit, "The security server is already initialised")
	}
	if md := initParamProblems(p.state, in); len(md) > 0 {
		return p, xroad.Errorf(xroad.CodeInvalidInitParams,
			"Some initialisation values are missing or were set before (%s); supply exactly the parts that are not initialised yet", strings.Join(md, ", ")).WithMetadata(md...)
	}
	p.owner = xroad.ClientID{Instance: conf.InstanceIdentifier, MemberClass: in.OwnerMemberClass, MemberCode: in.OwnerMemberCode}
	if p.state.Owner {
		p.owner = clientIDOf(conf.Edges.Owner).Member()
	}
	p.server = xroad.ServerID{Owner: p.owner, ServerCode: in.ServerCode}
	if p.state.ServerCode {
		p.server.ServerCode = conf.ServerCode
	}
	if err := p.server.Validate(); err != nil {
		return p, err
	}
	if !p.state.SoftToken {
		if err := signer.ValidatePIN(in.SoftTokenPIN, s.opts.EnforcePINPolicy); err != nil {
			var xe *xroad.Error
			if errors.As(err, &xe) && xe.Code == xroad.CodeBadUserInput {
				xe.Field = "softTokenPin"
			}
			return p, err
		}
	}
	if !in.IgnoreWarnings {
		var ownerKnown, serverKnown bool
		if snap := s.snap.Load(); snap != nil && snap.Shared != nil {
			_, ownerKnown = snap.Shared.Member(p.owner)
			_, serverKnown = snap.Shared.SecurityServer(p.server)
		}
		if ws := initWarnings(p.state, p.owner, p.server, ownerKnown, serverKnown); len(ws) > 0 {
			return p, xroad.WarningsDetected(ws)
		}
	}
	return p, nil
}

// ensureClient returns the client row of id, creating it SAVED.
func ensureClient(ctx context.Context, c *ent.Client, id xroad.ClientID) (*ent.ServerClient, error) {
	row, err := c.ServerClient.Query().Where(
		serverclient.Instance(id.Instance), serverclient.MemberClass(id.MemberClass),
		serverclient.MemberCode(id.MemberCode), serverclient.SubsystemCode(id.SubsystemCode)).Only(ctx)
	if ent.IsNotFound(err) {
		return c.ServerClient.Create().SetInstance(id.Instance).SetMemberClass(id.MemberClass).
			SetMemberCode(id.MemberCode).SetSubsystemCode(id.SubsystemCode).SetStatus(xroad.ClientSaved).Save(ctx)
	}
	return row, err
}
