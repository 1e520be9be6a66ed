package bench

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// ServeBroadcast is the reference server of BenchmarkSubscriptions: about
// the least a websocket server can do to fan one event out to its
// subscribers on this machine. It speaks just enough graphql-transport-ws
// for the benchmark's clients (connection_ack, then one subscribe per
// connection) and, for each line "next <version>" read from in, hands one
// pre-rendered "next" message to every subscribed connection, whose own
// goroutine writes it (one goroutine per connection, as a GraphQL server
// has). No GraphQL, authentication or database. It listens on a loopback
// port, writes "<address>\n" to out, answers each line "count" with the
// number of subscriptions so far, and returns when in ends.
func ServeBroadcast(in io.Reader, out io.Writer) error {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	b := &broadcaster{}
	srv := &http.Server{Handler: http.HandlerFunc(b.serve), ReadHeaderTimeout: 30 * time.Second}
	go func() { _ = srv.Serve(l) }()
	defer srv.Close()
	if _, err := fmt.Fprintln(out, l.Addr().String()); err != nil {
		return err
	}
	sc := bufio.NewScanner(in)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "next "); ok {
			b.broadcast(v)
		} else if sc.Text() == "count" {
			b.mu.Lock()
			n := len(b.subs)
			b.mu.Unlock()
			if _, err := fmt.Fprintln(out, n); err != nil {
				return err
			}
		}
	}
	return sc.Err()
}

type broadcaster struct {
	mu   sync.Mutex
	subs []*broadcastSub
}

type broadcastSub struct {
	id   string
	next chan []byte // payloads to send
}

var broadcastUpgrader = websocket.Upgrader{
	Subprotocols: []string{"graphql-transport-ws"},
	CheckOrigin:  func(*http.Request) bool { return true },
}

func (b *broadcaster) serve(w http.ResponseWriter, r *http.Request) {
	c, err := broadcastUpgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	defer c.Close()
	var m struct {
		ID   string `json:"id"`
		Type string `json:"type"`
	}
	if c.ReadJSON(&m) != nil || m.Type != "connection_init" {
		return
	}
	if c.WriteJSON(map[string]string{"type": "connection_ack"}) != nil {
		return
	}
	if c.ReadJSON(&m) != nil || m.Type != "subscribe" {
		return
	}
	s := &broadcastSub{id: m.ID, next: make(chan []byte, 16)}
	b.mu.Lock()
	b.subs = append(b.subs, s)
	b.mu.Unlock()
	closed := make(chan struct{})
	go func() {
		defer close(closed)
		for {
			if _, _, err := c.NextReader(); err != nil {
				return
			}
		}
	}()
	id, _ := json.Marshal(s.id)
	for {
		select {
		case payload := <-s.next:
			msg := append(append(append([]byte(`{"id":`), id...), `,"type":"next","payload":`...), payload...)
			msg = append(msg, '}')
			_ = c.SetWriteDeadline(time.Now().Add(10 * time.Second))
			if c.WriteMessage(websocket.TextMessage, msg) != nil {
				return
			}
		case <-closed:
			return
		}
	}
}

func (b *broadcaster) broadcast(version string) {
	v, _ := json.Marshal(version)
	payload := []byte(`{"data":{"globalConfigurationChanged":{"version":` + string(v) + `}}}`)
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, s := range b.subs {
		select {
		case s.next <- payload:
		default:
		}
	}
}

// broadcastRef is ServeBroadcast running in a child process.
type broadcastRef struct {
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	stdout *bufio.Reader
	addr   string
}

// startBroadcastReference runs ServeBroadcast in a process of its own (this
// test binary, TestBroadcastHelper), so that it has its own file limit and
// shows its own CPU time, as the security server does.
func startBroadcastReference(ctx context.Context) (*broadcastRef, error) {
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestBroadcastHelper$")
	cmd.Env = append(ServerEnv(), "ROADREG_BENCH_BROADCAST=1")
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	r := &broadcastRef{cmd: cmd, stdin: stdin, stdout: bufio.NewReader(stdout)}
	line, err := r.stdout.ReadString('\n')
	if err != nil {
		r.Close()
		return nil, fmt.Errorf("reference server: %w", err)
	}
	r.addr = strings.TrimSpace(line)
	return r, nil
}

// waitSubscribers waits until n subscriptions reached the server.
func (r *broadcastRef) waitSubscribers(n int) error {
	deadline := time.Now().Add(time.Minute)
	for {
		if _, err := fmt.Fprintln(r.stdin, "count"); err != nil {
			return err
		}
		line, err := r.stdout.ReadString('\n')
		if err != nil {
			return err
		}
		if got, _ := strconv.Atoi(strings.TrimSpace(line)); got >= n {
			return nil
		} else if time.Now().After(deadline) {
			return fmt.Errorf("reference server: %d of %d subscriptions after a minute", got, n)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// next broadcasts one event.
func (r *broadcastRef) next(version int) error {
	_, err := fmt.Fprintf(r.stdin, "next %d\n", version)
	return err
}

// Pid is the reference server's process id.
func (r *broadcastRef) Pid() int { return r.cmd.Process.Pid }

// Close ends the reference server.
func (r *broadcastRef) Close() {
	_ = r.stdin.Close()
	done := make(chan struct{})
	go func() { _, _ = io.Copy(io.Discard, r.stdout); _ = r.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		_ = r.cmd.Process.Kill()
		<-done
	}
}
