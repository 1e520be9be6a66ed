package bench

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/roadreg/roadreg/internal/testenv"
)

// Build compiles the roadreg binary into dir and returns its path.
func Build(ctx context.Context, dir string) (string, error) {
	root, err := testenv.FindRepoRoot()
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "roadreg")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "./server")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build ./server: %v\n%s", err, out)
	}
	return bin, nil
}

// FreeAddr returns a loopback address with a port that was free a moment ago.
func FreeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

// RunCLI runs a roadreg command with stdin and returns its standard output.
func RunCLI(ctx context.Context, bin, stdin string, env []string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = append(ServerEnv(), env...)
	cmd.Stdin = strings.NewReader(stdin)
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return stdout.String(), fmt.Errorf("roadreg %s: %v\n%s%s", strings.Join(args, " "), err, stdout.String(), stderr.String())
	}
	return stdout.String(), nil
}

// Process is a roadreg process whose output goes to a log file.
type Process struct {
	Name string
	// Log is the file holding the process's standard output and error.
	Log  string
	bin  string
	args []string
	env  []string

	mu   sync.Mutex
	cmd  *exec.Cmd
	done chan struct{}
}

// StartProcess starts bin with args; its output is appended to
// logDir/name.log.
func StartProcess(bin, name, logDir string, env []string, args ...string) (*Process, error) {
	p := &Process{Name: name, Log: filepath.Join(logDir, name+".log"), bin: bin, args: args, env: env}
	return p, p.Start()
}

// Start starts the process (again, after Stop).
func (p *Process) Start() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	f, err := os.OpenFile(p.Log, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	cmd := exec.Command(p.bin, p.args...)
	cmd.Env = append(ServerEnv(), p.env...)
	cmd.Stdout, cmd.Stderr = f, f
	if err := cmd.Start(); err != nil {
		f.Close()
		return fmt.Errorf("starting %s: %w", p.Name, err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); f.Close(); close(done) }()
	p.cmd, p.done = cmd, done
	return nil
}

// SetArgs replaces the arguments used by the next Start.
func (p *Process) SetArgs(args ...string) {
	p.mu.Lock()
	p.args = args
	p.mu.Unlock()
}

// Args returns the arguments of the process.
func (p *Process) Args() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.args...)
}

// Pid is the process id (0 when not running).
func (p *Process) Pid() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cmd == nil || p.cmd.Process == nil {
		return 0
	}
	return p.cmd.Process.Pid
}

// Stop sends SIGTERM and waits up to 15 s, then kills the process.
func (p *Process) Stop() error {
	p.mu.Lock()
	cmd, done := p.cmd, p.done
	p.cmd = nil
	p.mu.Unlock()
	if cmd == nil || cmd.Process == nil {
		return nil
	}
	_ = cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-done:
		return nil
	case <-time.After(15 * time.Second):
		_ = cmd.Process.Kill()
		<-done
		return fmt.Errorf("%s did not stop on SIGTERM and was killed", p.Name)
	}
}

// WaitHTTP waits until url answers with a status below 500.
func WaitHTTP(ctx context.Context, url string) error {
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode < 500 {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%s did not come up: %v", url, err)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// procFile is /proc/<pid>/<name>, or /proc/self/<name> for pid 0.
func procFile(pid int, name string) string {
	if pid == 0 {
		return "/proc/self/" + name
	}
	return fmt.Sprintf("/proc/%d/%s", pid, name)
}

// ProcMemory reads a memory field of /proc/<pid>/status ("VmRSS",
// "VmHWM", …) in bytes; pid 0 means this process.
func ProcMemory(pid int, field string) (int64, error) {
	path := procFile(pid, "status")
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		name, rest, ok := strings.Cut(sc.Text(), ":")
		if !ok || name != field {
			continue
		}
		kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
		if err != nil {
			return 0, err
		}
		return kb << 10, nil
	}
	return 0, fmt.Errorf("%s has no %s", path, field)
}

// ResetPeakRSS resets this process's VmHWM to its current RSS (Linux
// clear_refs); it reports whether that worked.
func ResetPeakRSS() bool { return ResetPeakRSSOf(0) }

// ResetPeakRSSOf resets the VmHWM of process pid (0: this process).
func ResetPeakRSSOf(pid int) bool {
	return os.WriteFile(procFile(pid, "clear_refs"), []byte("5"), 0) == nil
}

// MachineInfo describes the machine a benchmark ran on: CPU model, cores,
// memory, OS and Go version.
func MachineInfo() string {
	cpu := "unknown CPU"
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(l, ":"); ok && strings.TrimSpace(k) == "model name" {
				cpu = strings.TrimSpace(v)
				break
			}
		}
	}
	mem := ""
	if total, err := procMeminfo("MemTotal"); err == nil {
		mem = fmt.Sprintf(", %.1f GiB RAM", float64(total)/(1<<30))
	}
	kernel := ""
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		kernel = ", Linux " + strings.TrimSpace(string(b))
	}
	return fmt.Sprintf("%s × %d cores%s%s, %s", cpu, runtime.NumCPU(), mem, kernel, runtime.Version())
}

func procMeminfo(field string) (int64, error) {
	b, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		return 0, err
	}
	for _, l := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(l, ":"); ok && k == field {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb << 10, err
		}
	}
	return 0, fmt.Errorf("/proc/meminfo has no %s", field)
}

// ProcessCPU returns the CPU time (user + system) process pid has used so
// far, from /proc/<pid>/stat; pid 0 means this process.
func ProcessCPU(pid int) (time.Duration, error) {
	t, err := ProcessTimes(pid)
	return t.User + t.System, err
}

// CPUTimes is a process's CPU time in user space and in the kernel.
type CPUTimes struct{ User, System time.Duration }

// Sub returns t - u.
func (t CPUTimes) Sub(u CPUTimes) CPUTimes {
	return CPUTimes{User: t.User - u.User, System: t.System - u.System}
}

// String is "<total> (<user> user)".
func (t CPUTimes) String() string {
	return fmt.Sprintf("%s (%s user)", Ms(t.User+t.System), Ms(t.User))
}

// ProcessTimes returns the CPU time process pid has used so far, from
// /proc/<pid>/stat; pid 0 means this process.
func ProcessTimes(pid int) (CPUTimes, error) {
	path := procFile(pid, "stat")
	b, err := os.ReadFile(path)
	if err != nil {
		return CPUTimes{}, err
	}
	// The command name (field 2) may hold spaces: fields count from the
	// last ')'. utime and stime are fields 14 and 15, in clock ticks
	// (USER_HZ, 100 on Linux).
	i := strings.LastIndexByte(string(b), ')')
	fields := strings.Fields(string(b[i+1:]))
	if len(fields) < 13 {
		return CPUTimes{}, fmt.Errorf("%s: unexpected format", path)
	}
	var ticks [2]int64
	for k, f := range fields[11:13] {
		n, err := strconv.ParseInt(f, 10, 64)
		if err != nil {
			return CPUTimes{}, fmt.Errorf("%s: %w", path, err)
		}
		ticks[k] = n
	}
	const tick = time.Second / 100
	return CPUTimes{User: time.Duration(ticks[0]) * tick, System: time.Duration(ticks[1]) * tick}, nil
}

// Metric returns the value of the sample named name (with its labels, as
// written: `go_gc_duration_seconds{quantile="1"}`) in the Prometheus text
// that base/metrics serves.
func Metric(ctx context.Context, base, name string) (float64, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/metrics", nil)
	if err != nil {
		return 0, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), name+" "); ok {
			return strconv.ParseFloat(v, 64)
		}
	}
	if err := sc.Err(); err != nil {
		return 0, err
	}
	return 0, fmt.Errorf("%s/metrics has no %s", base, name)
}
