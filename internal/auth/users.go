package auth

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"

	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/sql"

	"github.com/roadreg/roadreg/ent"
	"github.com/roadreg/roadreg/ent/session"
	"github.com/roadreg/roadreg/ent/user"
	"github.com/roadreg/roadreg/internal/audit"
	"github.com/roadreg/roadreg/internal/db"
	"github.com/roadreg/roadreg/internal/events"
	"github.com/roadreg/roadreg/internal/viewer"
	"github.com/roadreg/roadreg/internal/xroad"
)

// CodeLastSystemAdministrator refuses a change that would leave no enabled
// user with the SYSTEM_ADMINISTRATOR role: nobody could manage users any
// more.
const CodeLastSystemAdministrator = "LAST_SYSTEM_ADMINISTRATOR"

// CodeUserExists refuses a user name that is taken.
const CodeUserExists = "USER_EXISTS"

// Password rules.
const (
	MinPasswordLength = 8
	MaxPasswordLength = 1024
)

// Account is a user as administrators see it; never its password hash.
type Account struct {
	ID        int
	Username  string
	Roles     []viewer.Role
	Disabled  bool
	CreatedAt time.Time
	UpdatedAt time.Time
}

func accountOf(u *ent.User) *Account {
	return &Account{ID: u.ID, Username: u.Username, Roles: parseRoles(u.Roles), Disabled: u.Disabled, CreatedAt: u.CreatedAt, UpdatedAt: u.UpdatedAt}
}

func parseRoles(names []string) []viewer.Role {
	var out []viewer.Role
	for _, n := range names {
		if r, ok := viewer.ParseRole(n); ok {
			out = append(out, r)
		}
	}
	return out
}

// Users lists the users of this server by name.
func (s *Service) Users(ctx context.Context) ([]*Account, error) {
	if err := viewer.Require(ctx, viewer.CSViewUsers, viewer.SSViewUsers); err != nil {
		return nil, err
	}
	us, err := s.client.User.Query().Order(user.ByUsername()).All(s.sys(ctx))
	if err != nil {
		return nil, err
	}
	out := make([]*Account, len(us))
	for i, u := range us {
		out[i] = accountOf(u)
	}
	return out, nil
}

// UserByName returns the user called username (NOT_FOUND when none).
func (s *Service) UserByName(ctx context.Context, username string) (*Account, error) {
	if err := viewer.Require(ctx, viewer.CSViewUsers, viewer.SSViewUsers); err != nil {
		return nil, err
	}
	u, err := s.client.User.Query().Where(user.Username(strings.TrimSpace(username))).Only(s.sys(ctx))
	if ent.IsNotFound(err) {
		return nil, xroad.Errorf(xroad.CodeNotFound, "there is no user %q", strings.TrimSpace(username))
	}
	if err != nil {
		return nil, err
	}
	return accountOf(u), nil
}

// HasUsers reports whether any user exists.
func (s *Service) HasUsers(ctx context.Context) (bool, error) {
	return s.client.User.Query().Exist(s.sys(ctx))
}

// AddUser creates a user with a password and roles of this server. With
// replace, an existing user of that name gets the password and roles
// instead and is enabled; if its password changed, its sessions end.
func (s *Service) AddUser(ctx context.Context, username, password string, roles []string, replace bool) (*Account, error) {
	if err := viewer.Require(ctx, viewer.CSAddUser, viewer.SSAddUser); err != nil {
		return nil, err
	}
	if replace {
		if err := viewer.Require(ctx, viewer.CSUpdateUser, viewer.SSUpdateUser); err != nil {
			return nil, err
		}
	}
	username = strings.TrimSpace(username)
	if username == "" || len(username) > 255 || strings.IndexFunc(username, unicode.IsControl) >= 0 {
		return nil, xroad.BadInput("username", "a username is required: at most 255 characters, no control characters")
	}
	if err := checkNewPassword("password", password); err != nil {
		return nil, err
	}
	rs, err := s.CheckRoles(roles)
	if err != nil {
		return nil, err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return nil, err
	}
	// With replace, sessions end only if the password changes; the check
	// runs before the transaction (it takes a while).
	samePassword := false
	if replace {
		if old, err := s.client.User.Query().Where(user.Username(username)).Only(s.sys(ctx)); err == nil {
			samePassword, _ = CheckPassword(old.PasswordHash, password)
		}
	}
	data := map[string]any{"username": username, "roles": rs}
	var ch change
	err = s.changeUsers(ctx, func(ctx context.Context, tx *ent.Tx, users []*ent.User) error {
		i := slices.IndexFunc(users, func(u *ent.User) bool { return u.Username == username })
		if i < 0 {
			u, err := tx.User.Create().SetUsername(username).SetPasswordHash(hash).SetRoles(rs).Save(ctx)
			if err != nil {
				return err
			}
			ch.user = u
			audit.Log(ctx, tx.Client(), audit.Entry{Event: "Add user", Data: data})
			return nil
		}
		if !replace {
			return xroad.Errorf(CodeUserExists, "user %q exists", username).WithField("username")
		}
		old := users[i]
		u, err := tx.User.UpdateOne(old).SetPasswordHash(hash).SetRoles(rs).SetDisabled(false).Save(ctx)
		if err != nil {
			return err
		}
		ch.user = u
		if !samePassword {
			if ch.ended, err = endSessions(ctx, tx, u.ID, 0); err != nil {
				return err
			}
		}
		ch.userChanged = !samePassword || !slices.Equal(old.Roles, rs)
		data["replaced"] = true
		audit.Log(ctx, tx.Client(), audit.Entry{Event: "Add user", Data: data})
		return nil
	})
	if err != nil {
		s.auditFailure(ctx, "Add user", err, data)
		return nil, err
	}
	s.publish(ch)
	return accountOf(ch.user), nil
}

// SetUserDisabled disables (ending the user's sessions) or enables a user.
func (s *Service) SetUserDisabled(ctx context.Context, id int, disabled bool) (*Account, error) {
	if err := viewer.Require(ctx, viewer.CSUpdateUser, viewer.SSUpdateUser); err != nil {
		return nil, err
	}
	event := "Enable user"
	if disabled {
		event = "Disable user"
	}
	return s.updateUser(ctx, id, event, nil, func(ctx context.Context, tx *ent.Tx, u *ent.User, ch *change) (*ent.User, error) {
		if u.Disabled == disabled {
			return u, nil
		}
		u, err := tx.User.UpdateOne(u).SetDisabled(disabled).Save(ctx)
		if err != nil || !disabled {
			return u, err
		}
		ch.userChanged = true
		ch.ended, err = endSessions(ctx, tx, u.ID, 0)
		return u, err
	})
}

// SetUserRoles replaces a user's roles (roles of this server only).
func (s *Service) SetUserRoles(ctx context.Context, id int, roles []string) (*Account, error) {
	if err := viewer.Require(ctx, viewer.CSUpdateUser, viewer.SSUpdateUser); err != nil {
		return nil, err
	}
	rs, err := s.CheckRoles(roles)
	if err != nil {
		return nil, err
	}
	return s.updateUser(ctx, id, "Update user roles", map[string]any{"roles": rs}, func(ctx context.Context, tx *ent.Tx, u *ent.User, ch *change) (*ent.User, error) {
		if slices.Equal(u.Roles, rs) {
			return u, nil
		}
		ch.userChanged = true
		return tx.User.UpdateOne(u).SetRoles(rs).Save(ctx)
	})
}

// ResetPassword gives a user a new password and ends all its sessions.
func (s *Service) ResetPassword(ctx context.Context, id int, password string) (*Account, error) {
	if err := viewer.Require(ctx, viewer.CSUpdateUser, viewer.SSUpdateUser); err != nil {
		return nil, err
	}
	if err := checkNewPassword("password", password); err != nil {
		return nil, err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return nil, err
	}
	return s.updateUser(ctx, id, "Reset user password", nil, func(ctx context.Context, tx *ent.Tx, u *ent.User, ch *change) (*ent.User, error) {
		u, err := tx.User.UpdateOne(u).SetPasswordHash(hash).Save(ctx)
		if err != nil {
			return nil, err
		}
		ch.userChanged = true
		ch.ended, err = endSessions(ctx, tx, u.ID, 0)
		return u, err
	})
}

// ChangePassword changes the password of the logged-in user, who must know
// the current one, and ends the user's other sessions. API keys have no
// password.
func (s *Service) ChangePassword(ctx context.Context, current, password string) error {
	v := viewer.FromContext(ctx)
	if v == nil {
		return xroad.Errorf(xroad.CodeUnauthenticated, "log in first")
	}
	if v.UserID == 0 || v.SessionID == 0 {
		return xroad.Errorf(xroad.CodeForbidden, "only a logged-in user can change a password; API keys have none")
	}
	if err := checkNewPassword("newPassword", password); err != nil {
		return err
	}
	if current == password {
		return xroad.BadInput("newPassword", "the new password must differ from the current one")
	}
	// The current password is checked like a login from this session, so
	// a stolen session cannot be used to guess it quickly.
	if _, err := s.checkPassword(s.sys(ctx), "Change password", v.Username, current, fmt.Sprintf("session:%d", v.SessionID)); err != nil {
		if IsAuthError(err) {
			return xroad.BadInput("currentPassword", "the current password is wrong")
		}
		return err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return err
	}
	_, err = s.updateUser(ctx, v.UserID, "Change password", nil, func(ctx context.Context, tx *ent.Tx, u *ent.User, ch *change) (*ent.User, error) {
		u, err := tx.User.UpdateOne(u).SetPasswordHash(hash).Save(ctx)
		if err != nil {
			return nil, err
		}
		ch.userChanged = true
		ch.ended, err = endSessions(ctx, tx, u.ID, v.SessionID)
		return u, err
	})
	return err
}

// change is what a committed change of users publishes.
type change struct {
	user        *ent.User
	userChanged bool
	ended       []int
}

// publish announces a committed change: the ended sessions and the
// changed user.
func (s *Service) publish(ch change) {
	for _, id := range ch.ended {
		s.emit(events.SessionEnded, id)
	}
	if ch.userChanged {
		s.emit(events.UserChanged, ch.user.ID)
	}
}

func (s *Service) emit(topic string, id int) {
	if s.Events != nil {
		s.Events.Publish(events.Event{Topic: topic, ID: id})
	}
}

// updateUser changes the user id in one transaction with fn (the caller
// has checked the permission), refuses the
// change if it would leave no enabled system administrator, audit-logs it
// as event and publishes what changed after the commit.
func (s *Service) updateUser(ctx context.Context, id int, event string, data map[string]any,
	fn func(ctx context.Context, tx *ent.Tx, u *ent.User, ch *change) (*ent.User, error)) (*Account, error) {
	if data == nil {
		data = map[string]any{}
	}
	data["id"] = id
	var ch change
	err := s.changeUsers(ctx, func(ctx context.Context, tx *ent.Tx, users []*ent.User) error {
		i := slices.IndexFunc(users, func(u *ent.User) bool { return u.ID == id })
		if i < 0 {
			return xroad.Errorf(xroad.CodeNotFound, "there is no user with id %d", id)
		}
		data["username"] = users[i].Username
		u, err := fn(ctx, tx, users[i], &ch)
		if err != nil {
			return err
		}
		ch.user = u
		after := slices.Clone(users)
		after[i] = u
		if enabledAdmins(users) > 0 && enabledAdmins(after) == 0 {
			return xroad.Errorf(CodeLastSystemAdministrator,
				"%s is the last enabled system administrator; enable or add another system administrator first", u.Username)
		}
		if len(ch.ended) > 0 {
			data["endedSessions"] = len(ch.ended)
		}
		audit.Log(ctx, tx.Client(), audit.Entry{Event: event, Data: data})
		return nil
	})
	if err != nil {
		s.auditFailure(ctx, event, err, data)
		return nil, err
	}
	s.publish(ch)
	return accountOf(ch.user), nil
}

// changeUsers runs fn in a transaction with every user loaded and, on
// PostgreSQL, locked, so that concurrent changes cannot together disable
// the last system administrators (SQLite transactions here begin
// IMMEDIATE and run one at a time).
func (s *Service) changeUsers(ctx context.Context, fn func(ctx context.Context, tx *ent.Tx, users []*ent.User) error) error {
	ctx = viewer.Elevated(ctx)
	return s.inTx(ctx, func(tx *ent.Tx) error {
		users, err := tx.User.Query().Where(lockForUpdate).All(ctx)
		if err != nil {
			return err
		}
		return fn(ctx, tx, users)
	})
}

// inTx runs fn in one transaction (db.WithTx).
func (s *Service) inTx(ctx context.Context, fn func(tx *ent.Tx) error) error {
	return db.WithTx(ctx, s.client, fn)
}

// lockForUpdate locks the selected rows until the transaction ends
// (PostgreSQL; SQLite has no row locks).
func lockForUpdate(s *sql.Selector) {
	if s.Dialect() == dialect.Postgres {
		s.ForUpdate()
	}
}

// enabledAdmins counts the enabled users holding SYSTEM_ADMINISTRATOR.
func enabledAdmins(users []*ent.User) int {
	n := 0
	for _, u := range users {
		if !u.Disabled && slices.Contains(u.Roles, string(viewer.SystemAdministrator)) {
			n++
		}
	}
	return n
}

// endSessions deletes the sessions of a user except one (0: all) and
// returns their ids.
func endSessions(ctx context.Context, tx *ent.Tx, userID, except int) ([]int, error) {
	ids, err := tx.Session.Query().Where(session.HasUserWith(user.ID(userID)), session.IDNEQ(except)).IDs(ctx)
	if err != nil || len(ids) == 0 {
		return nil, err
	}
	if _, err := tx.Session.Delete().Where(session.IDIn(ids...)).Exec(ctx); err != nil {
		return nil, err
	}
	return ids, nil
}

func checkNewPassword(field, p string) error {
	if len(p) < MinPasswordLength || len(p) > MaxPasswordLength {
		return xroad.BadInput(field, "a password needs %d to %d characters", MinPasswordLength, MaxPasswordLength)
	}
	return nil
}

// auditFailure records a failed change (with the error code, never the
// input secrets).
func (s *Service) auditFailure(ctx context.Context, event string, err error, data map[string]any) {
	d := map[string]any{"error": xroad.CodeInternal}
	for k, v := range data {
		d[k] = v
	}
	if code := xroad.CodeOf(err); code != "" {
		d["error"] = code
	}
	audit.Log(ctx, s.client, audit.Entry{Event: event, Failed: true, Data: d})
}
