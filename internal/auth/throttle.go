package auth

import (
	"net/netip"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/golang-lru/v2/simplelru"
	"golang.org/x/time/rate"
)

// Login throttling (README.md, "Login throttling"). Three token buckets
// decide whether a login attempt may have its password checked:
//
//   - per account and client address: 5 attempts, then one every 12 s;
//   - per account, over all addresses: 20 attempts, then one every 6 s.
//     That refills twice as fast as one address may spend, so no single
//     address can drain it and lock the user out elsewhere, while many
//     addresses together get 10 guesses a minute at one account. An address
//     the account has logged in from successfully is exempt from it (and
//     from the next one): it keeps only its own bucket;
//   - per client address, over all accounts: 20 attempts, then one every
//     3 s (one address trying many accounts).
//
// Only failures spend: a successful login gets its tokens back. Every table
// is bounded; the least recently used key is forgotten only once its bucket
// has filled up again, so a spray of throw-away user names or addresses
// never resets a throttled key. A table full of keys still throttled refuses
// new keys until the oldest recovers.
var (
	pairLimit    = bucket{every: 12 * time.Second, burst: 5}
	accountLimit = bucket{every: 6 * time.Second, burst: 20}
	addressLimit = bucket{every: 3 * time.Second, burst: 20}
)

// Throttle table sizes and the audit-log rate of refused attempts.
const (
	// ThrottleEntries is the number of keys each table remembers.
	ThrottleEntries = 10_000
	// throttleAuditEvery is how often a throttled key writes an audit
	// entry: the first refusal at once, later ones summed up at most this
	// often.
	throttleAuditEvery = time.Minute
)

// Names of the limits in audit entries and errors.
const (
	limitPair     = "account and address"
	limitAccount  = "account"
	limitAddress  = "address"
	limitCapacity = "capacity"
)

type bucket struct {
	every time.Duration
	burst int
}

type throttleEntry struct {
	lim *rate.Limiter
	// pending counts attempts let through whose passwords are being
	// checked: each may still spend a token.
	pending int
	// trusted marks an account and address pair that logged in
	// successfully.
	trusted bool
	// refused counts refusals not yet written to the audit log.
	refused int
	audited time.Time
}

// full reports whether the bucket has recovered completely at t.
func (e *throttleEntry) full(b bucket, t time.Time) bool {
	return e.pending == 0 && e.lim.TokensAt(t) >= float64(b.burst)
}

// wait is how long until the bucket holds a token for one more attempt
// (0: now).
func (e *throttleEntry) wait(b bucket, t time.Time) time.Duration {
	short := float64(e.pending) + 1 - e.lim.TokensAt(t)
	if short <= 0 {
		return 0
	}
	return time.Duration(short * float64(b.every))
}

type throttleTable struct {
	limit bucket
	size  int
	keys  *simplelru.LRU[string, *throttleEntry]
}

func newThrottleTable(limit bucket, size int) *throttleTable {
	keys, _ := simplelru.NewLRU[string, *throttleEntry](size, nil)
	return &throttleTable{limit: limit, size: size, keys: keys}
}

// get returns the entry of key, creating it when there is room: the least
// recently used entry makes room only if its bucket is full again. nil
// means the table is full of keys still being throttled.
func (t *throttleTable) get(key string, now time.Time) *throttleEntry {
	if e, ok := t.keys.Get(key); ok {
		return e
	}
	if t.keys.Len() >= t.size {
		if _, oldest, ok := t.keys.GetOldest(); ok && !oldest.full(t.limit, now) {
			return nil
		}
		t.keys.RemoveOldest()
	}
	e := &throttleEntry{lim: rate.NewLimiter(rate.Every(t.limit.every), t.limit.burst)}
	t.keys.Add(key, e)
	return e
}

// throttle is the login rate limit of one server.
type throttle struct {
	mu                         sync.Mutex
	pairs, accounts, addresses *throttleTable
}

func newThrottle(size int) *throttle {
	return &throttle{
		pairs:     newThrottleTable(pairLimit, size),
		accounts:  newThrottleTable(accountLimit, size),
		addresses: newThrottleTable(addressLimit, size),
	}
}

// attempt is a login attempt the throttle let through; done reports how
// it went.
type attempt struct {
	t       *throttle
	pair    *throttleEntry
	entries []*throttleEntry
}

// refusal says why the throttle refused an attempt.
type refusal struct {
	limit      string
	retryAfter time.Duration
	// audit is set when the refusal should be written to the audit log;
	// refused then counts the refusals it stands for.
	audit   bool
	refused int
}

// begin asks to check a password of account from addr at now. An attempt
// needs a token in each of its buckets (counting the attempts still being
// checked); it spends them only if it fails.
func (t *throttle) begin(account, addr string, now time.Time) (*attempt, *refusal) {
	account = strings.ToLower(strings.TrimSpace(account))
	addr = addressKey(addr)
	pairKey := account + "\x00" + addr
	t.mu.Lock()
	defer t.mu.Unlock()
	// The address and the account come first, so an address that is
	// throttled creates no entries for new accounts.
	steps := []struct {
		table *throttleTable
		key   string
		limit string
	}{{t.addresses, addr, limitAddress}, {t.accounts, account, limitAccount}, {t.pairs, pairKey, limitPair}}
	if e, ok := t.pairs.keys.Peek(pairKey); ok && e.trusted {
		steps = steps[2:]
	}
	a := &attempt{t: t}
	for _, s := range steps {
		e := s.table.get(s.key, now)
		if e == nil {
			return nil, &refusal{limit: limitCapacity, retryAfter: s.table.limit.every}
		}
		if wait := e.wait(s.table.limit, now); wait > 0 {
			ref := &refusal{limit: s.limit, retryAfter: wait}
			e.refused++
			if now.Sub(e.audited) >= throttleAuditEvery {
				ref.audit, ref.refused = true, e.refused
				e.refused, e.audited = 0, now
			}
			return nil, ref
		}
		a.entries = append(a.entries, e)
		if s.table == t.pairs {
			a.pair = e
		}
	}
	for _, e := range a.entries {
		e.pending++
	}
	return a, nil
}

// done ends the attempt: a failure spends a token of each bucket; a
// success spends nothing and makes the address trusted for the account.
func (a *attempt) done(ok bool, now time.Time) {
	a.t.mu.Lock()
	defer a.t.mu.Unlock()
	for _, e := range a.entries {
		e.pending--
		if !ok {
			e.lim.ReserveN(now, 1)
		}
	}
	if ok {
		a.pair.trusted = true
	}
}

// addressKey is the throttling key of a client address: IPv6 addresses by
// their /64 network (one host usually holds a whole /64), everything else
// as it is.
func addressKey(addr string) string {
	ip, err := netip.ParseAddr(addr)
	if err != nil {
		return addr
	}
	ip = ip.Unmap()
	if ip.Is6() {
		p, _ := ip.Prefix(64)
		return p.String()
	}
	return ip.String()
}
