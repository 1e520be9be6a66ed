package bench

import (
	"os"
	"slices"
	"strings"
	"testing"
)

func TestClientsGODEBUG(t *testing.T) {
	// TestMain ran this binary again with the setting.
	if got := os.Getenv("GODEBUG"); !slices.Contains(strings.Split(got, ","), ClientsGODEBUG) {
		t.Fatalf("GODEBUG = %q, want it to contain %s", got, ClientsGODEBUG)
	}
	for _, kv := range ServerEnv() {
		if strings.HasPrefix(kv, "GODEBUG=") && strings.Contains(kv, ClientsGODEBUG) {
			t.Errorf("the servers' environment has %s", kv)
		}
	}
	tests := []struct {
		value string
		add   bool
		want  string
	}{
		{"", true, ClientsGODEBUG},
		{"http2client=0", true, "http2client=0," + ClientsGODEBUG},
		{"http2client=0," + ClientsGODEBUG, false, "http2client=0"},
		{ClientsGODEBUG, false, ""},
	}
	for _, tt := range tests {
		if got := godebugWith(tt.value, ClientsGODEBUG, tt.add); got != tt.want {
			t.Errorf("godebugWith(%q, add=%v) = %q, want %q", tt.value, tt.add, got, tt.want)
		}
	}
}
