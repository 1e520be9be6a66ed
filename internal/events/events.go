// Package events is the in-process publish/subscribe broker behind GraphQL
// subscriptions. Publishers never block: a subscriber that does not keep up
// loses events (and the drop is counted) rather than delaying others.
// Domain code publishes only after its transaction committed. A broker with
// a Bridge also hands every event it publishes to the bridge, which carries
// it to the other replicas of the server; they Deliver it to their own
// subscribers.
package events

import (
	"context"
	"sync"
	"sync/atomic"
)

// Topics.
const (
	// ManagementRequestChanged carries a management request id (CS).
	ManagementRequestChanged = "management-request-changed"
	// CertificateChanged carries a certificate id (SS).
	CertificateChanged = "certificate-changed"
	// CertificateRenewal carries the audit event id of a renewal job
	// event: renewal started, failed or done, certificate expiring (SS).
	CertificateRenewal = "certificate-renewal"
	// AuthCertificateRegistered carries a certificate id (SS).
	AuthCertificateRegistered = "auth-certificate-registered"
	// TokenChanged carries a token id: logged in or out, or its status
	// changed (SS).
	TokenChanged = "token-changed"
	// GlobalConfChanged carries nothing; subscribers read the status (both).
	GlobalConfChanged = "global-conf-changed"

	// Credentials. Open websockets authenticated with the credential end
	// when one of these arrives (both roles).

	// SessionEnded carries a session id: logged out, expired or ended by
	// an administrator.
	SessionEnded = "session-ended"
	// UserChanged carries a user id: disabled, roles changed or password
	// changed; every session of the user authenticated before it is void.
	UserChanged = "user-changed"
	// APIKeyRevoked carries an API key id: revoked, or its roles changed.
	APIKeyRevoked = "api-key-revoked"

	// Between the replicas of a central server (not GraphQL topics).

	// GenerateRequested asks the replica that generates global
	// configuration to generate a new version soon.
	GenerateRequested = "generate-requested"
	// TokenLoggedIn says the signing token's login was shared through the
	// database (central server, with a cluster key).
	TokenLoggedIn = "token-logged-in"
)

// Bridge carries the events a broker publishes to the other replicas.
// Forward must not block.
type Bridge interface {
	Forward(Event)
}

// Event is one published event.
type Event struct {
	Topic string
	// ID is the id of the row the event is about (0 when none).
	ID int
}

// DefaultBuffer is the per-subscriber buffer size.
const DefaultBuffer = 64

// Broker fans events out to subscribers.
type Broker struct {
	mu      sync.RWMutex
	subs    map[string]map[*subscription]struct{}
	dropped atomic.Int64
	bridge  atomic.Pointer[Bridge]
}

type subscription struct {
	ch chan Event
}

// NewBroker returns an empty broker.
func NewBroker() *Broker {
	return &Broker{subs: map[string]map[*subscription]struct{}{}}
}

// Subscribe returns a channel receiving the topic's events until ctx is
// done; then the subscription is removed and the channel closed.
func (b *Broker) Subscribe(ctx context.Context, topic string) <-chan Event {
	s := &subscription{ch: make(chan Event, DefaultBuffer)}
	b.mu.Lock()
	if b.subs[topic] == nil {
		b.subs[topic] = map[*subscription]struct{}{}
	}
	b.subs[topic][s] = struct{}{}
	b.mu.Unlock()
	context.AfterFunc(ctx, func() {
		b.mu.Lock()
		delete(b.subs[topic], s)
		close(s.ch)
		b.mu.Unlock()
	})
	return s.ch
}

// SetBridge makes every later Publish also go to br (nil: none).
func (b *Broker) SetBridge(br Bridge) {
	if br == nil {
		b.bridge.Store(nil)
		return
	}
	b.bridge.Store(&br)
}

// Publish sends an event to every subscriber of its topic without
// blocking, and to the bridge when there is one.
func (b *Broker) Publish(e Event) {
	b.Deliver(e)
	if br := b.bridge.Load(); br != nil {
		(*br).Forward(e)
	}
}

// Deliver sends an event to this broker's subscribers only: the bridge
// delivers what another replica published.
func (b *Broker) Deliver(e Event) {
	b.mu.RLock()
	defer b.mu.RUnlock()
	for s := range b.subs[e.Topic] {
		select {
		case s.ch <- e:
		default:
			b.dropped.Add(1)
		}
	}
}

// Subscribers returns the number of subscribers of a topic.
func (b *Broker) Subscribers(topic string) int {
	b.mu.RLock()
	defer b.mu.RUnlock()
	return len(b.subs[topic])
}

// Dropped returns how many events slow subscribers lost so far.
func (b *Broker) Dropped() int64 { return b.dropped.Load() }
