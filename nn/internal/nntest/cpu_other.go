//go:build !js

package nntest

// ThreadCPU reports false: natively a goroutine moves between threads, and
// benchmarks there use the wall clock (see cpu_js.go).
func ThreadCPU() (ns int64, ok bool) { return 0, false }
