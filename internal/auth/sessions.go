package auth

import (
	"context"
	"time"

	"github.com/roadreg/roadreg/ent"
	"github.com/roadreg/roadreg/ent/session"
	"github.com/roadreg/roadreg/internal/audit"
	"github.com/roadreg/roadreg/internal/events"
	"github.com/roadreg/roadreg/internal/viewer"
	"github.com/roadreg/roadreg/internal/xroad"
)

// SessionInfo is an open browser session as administrators see it; never
// its token.
type SessionInfo struct {
	ID       int
	UserID   int
	Username string
	// ClientAddress is where the session logged in from (nil if unknown).
	ClientAddress *string
	CreatedAt     time.Time
	LastSeenAt    time.Time
	// ExpiresAt is when the session ends unless it is used: its idle
	// timeout or its maximum age, whichever comes first.
	ExpiresAt time.Time
	// Current marks the caller's own session.
	Current bool
}

// Sessions lists the open sessions, the most recently used first.
func (s *Service) Sessions(ctx context.Context) ([]*SessionInfo, error) {
	if err := viewer.Require(ctx, viewer.CSViewUsers, viewer.SSViewUsers); err != nil {
		return nil, err
	}
	now := s.now()
	ss, err := s.client.Session.Query().
		Where(session.ExpiresAtGT(now), session.LastSeenAtGT(now.Add(-s.IdleTimeout))).
		WithUser().Order(ent.Desc(session.FieldLastSeenAt)).All(s.sys(ctx))
	if err != nil {
		return nil, err
	}
	me := viewer.FromContext(ctx).SessionID
	out := make([]*SessionInfo, 0, len(ss))
	for _, x := range ss {
		if x.Edges.User.Disabled {
			continue
		}
		out = append(out, s.sessionInfo(x, me))
	}
	return out, nil
}

func (s *Service) sessionInfo(x *ent.Session, current int) *SessionInfo {
	deadline := x.LastSeenAt.Add(s.IdleTimeout)
	if x.ExpiresAt.Before(deadline) {
		deadline = x.ExpiresAt
	}
	return &SessionInfo{
		ID: x.ID, UserID: x.Edges.User.ID, Username: x.Edges.User.Username, ClientAddress: x.ClientAddress,
		CreatedAt: x.CreatedAt, LastSeenAt: x.LastSeenAt, ExpiresAt: deadline, Current: x.ID == current,
	}
}

// EndSession ends a session: its cookie no longer authenticates anybody.
func (s *Service) EndSession(ctx context.Context, id int) error {
	if err := viewer.Require(ctx, viewer.CSUpdateUser, viewer.SSUpdateUser); err != nil {
		return err
	}
	data := map[string]any{"id": id}
	ctx = viewer.Elevated(ctx)
	err := s.inTx(ctx, func(tx *ent.Tx) error {
		x, err := tx.Session.Query().Where(session.ID(id)).WithUser().Only(ctx)
		if ent.IsNotFound(err) {
			return xroad.Errorf(xroad.CodeNotFound, "there is no session with id %d", id)
		}
		if err != nil {
			return err
		}
		data["username"] = x.Edges.User.Username
		if err := tx.Session.DeleteOne(x).Exec(ctx); err != nil {
			return err
		}
		audit.Log(ctx, tx.Client(), audit.Entry{Event: "End session", Data: data})
		return nil
	})
	if err != nil {
		s.auditFailure(ctx, "End session", err, data)
		return err
	}
	s.emit(events.SessionEnded, id)
	return nil
}
