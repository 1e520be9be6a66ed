package testenv

import (
	"math/rand/v2"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
)

var ports struct {
	sync.Mutex
	handedOut map[int]bool
}

// FreeAddress is a free address on 127.0.0.1 for a server a test starts
// later (another program, or one configured with an address). Its port
// lies below the kernel's ephemeral range, where listeners on port 0
// never land: tests running in parallel cannot take it before that server
// binds it, and this process hands it out once.
func FreeAddress(t testing.TB) string {
	t.Helper()
	low := ephemeralLow()
	const from = 10000
	ports.Lock()
	defer ports.Unlock()
	if ports.handedOut == nil {
		ports.handedOut = map[int]bool{}
	}
	for range 1000 {
		p := from + rand.IntN(low-from)
		if ports.handedOut[p] {
			continue
		}
		l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(p)))
		if err != nil {
			continue // in use
		}
		l.Close()
		ports.handedOut[p] = true
		return l.Addr().String()
	}
	t.Fatalf("no free port on 127.0.0.1 between %d and %d", from, low)
	return ""
}

// ephemeralLow is the first port of the kernel's ephemeral range (Linux's
// ip_local_port_range; 32768 elsewhere and by default).
func ephemeralLow() int {
	b, err := os.ReadFile("/proc/sys/net/ipv4/ip_local_port_range")
	if err != nil {
		return 32768
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return 32768
	}
	n, err := strconv.Atoi(f[0])
	if err != nil || n <= 11000 {
		return 32768
	}
	return n
}
