package bench

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"
	"time"
)

// TestBroadcastHelper is BenchmarkSubscriptions' reference server in a
// process of its own: the benchmark runs this test binary with
// ROADREG_BENCH_BROADCAST=1 (see startBroadcastReference).
func TestBroadcastHelper(t *testing.T) {
	if os.Getenv("ROADREG_BENCH_BROADCAST") != "1" {
		t.Skip("the reference server of BenchmarkSubscriptions, run by it")
	}
	if _, err := RaiseOpenFiles(); err != nil {
		t.Fatal(err)
	}
	if err := ServeBroadcast(os.Stdin, os.Stdout); err != nil {
		t.Fatal(err)
	}
}

// TestServeBroadcast: the reference server answers the benchmark's
// graphql-transport-ws clients and delivers each "next" line to every
// subscriber as a globalConfigurationChanged event.
func TestServeBroadcast(t *testing.T) {
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	done := make(chan error, 1)
	go func() { done <- ServeBroadcast(inR, outW) }()
	out := bufio.NewReader(outR)
	addr, err := out.ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	arrivals := NewArrivals(3)
	subs, _, err := subscribeMany(ctx, "http://"+strings.TrimSpace(addr), "", arrivals)
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		for _, s := range subs {
			s.Close()
		}
	}()
	ref := &broadcastRef{stdin: inW, stdout: out}
	if err := ref.waitSubscribers(len(subs)); err != nil {
		t.Fatal(err)
	}
	for v := 1; v <= 2; v++ {
		wait := arrivals.Round()
		if err := ref.next(v); err != nil {
			t.Fatal(err)
		}
		events, err := wait(10 * time.Second)
		if err != nil {
			t.Fatalf("event %d: %v", v, err)
		}
		want := fmt.Sprintf(`{"globalConfigurationChanged":{"version":"%d"}}`, v)
		for _, e := range events {
			if string(e.Data) != want || len(e.Errors) > 0 {
				t.Fatalf("event %d: data %s errors %s, want %s", v, e.Data, e.Errors, want)
			}
		}
	}
	inW.Close()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
