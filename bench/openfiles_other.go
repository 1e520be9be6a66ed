//go:build !unix

package bench

import "math"

// RaiseOpenFiles reports no limit: this system has no per-process limit
// of open files to raise.
func RaiseOpenFiles() (uint64, error) { return math.MaxUint64, nil }
