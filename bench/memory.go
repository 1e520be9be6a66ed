package bench

import (
	"runtime"
	"runtime/debug"
	"time"
)

// Phase is the cost of one measured phase of this process.
type Phase struct {
	Elapsed time.Duration
	// PeakRSS is the process's peak resident memory during the phase
	// (VmHWM after resetting it; 0 when the kernel does not allow that).
	PeakRSS int64
	// StartRSS is the resident memory when the phase began.
	StartRSS int64
	// Allocated is what the Go heap allocated during the phase.
	Allocated uint64
}

// Measure runs fn as one phase: it collects garbage first, resets the peak
// RSS, then times fn and reads the peak and the bytes allocated.
func Measure(fn func() error) (Phase, error) {
	runtime.GC()
	debug.FreeOSMemory()
	var ph Phase
	ph.StartRSS, _ = ProcMemory(0, "VmRSS")
	reset := ResetPeakRSS()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	err := fn()
	ph.Elapsed = time.Since(start)
	runtime.ReadMemStats(&after)
	ph.Allocated = after.TotalAlloc - before.TotalAlloc
	if reset {
		ph.PeakRSS, _ = ProcMemory(0, "VmHWM")
	}
	return ph, err
}
