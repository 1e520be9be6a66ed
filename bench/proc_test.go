package bench

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

func TestProcessTimes(t *testing.T) {
	before, err := ProcessTimes(0)
	if err != nil {
		t.Fatal(err)
	}
	// Burn some user-space CPU.
	x := 0
	for start := time.Now(); time.Since(start) < 100*time.Millisecond; {
		for i := range 100000 {
			x += i
		}
	}
	after, err := ProcessTimes(0)
	if err != nil {
		t.Fatal(err)
	}
	d := after.Sub(before)
	if d.User <= 0 || d.System < 0 || x == 0 {
		t.Errorf("100 ms of user-space work: %+v", d)
	}
	if total, _ := ProcessCPU(0); total < after.User+after.System {
		t.Errorf("ProcessCPU %s, less than user + system of an earlier reading %s", total, after)
	}
}

func TestMetric(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/metrics" {
			http.NotFound(w, r)
			return
		}
		_, _ = w.Write([]byte("# HELP x y\nroadreg_x{delivery=\"queued\"} 3\nroadreg_x{delivery=\"at_once\"} 12345\nroadreg_y 1.5e+06\n"))
	}))
	defer srv.Close()
	ctx := context.Background()
	for name, want := range map[string]float64{`roadreg_x{delivery="at_once"}`: 12345, `roadreg_x{delivery="queued"}`: 3, "roadreg_y": 1.5e6} {
		if got, err := Metric(ctx, srv.URL, name); err != nil || got != want {
			t.Errorf("%s = %v, %v; want %v", name, got, err, want)
		}
	}
	if _, err := Metric(ctx, srv.URL, "roadreg_x"); err == nil {
		t.Error("a name that only prefixes others was found")
	}
}
