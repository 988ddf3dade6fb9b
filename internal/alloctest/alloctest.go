package alloctest

import (
	"runtime"
	"testing"
)

// Bytes returns how many bytes f allocates: the heap's cumulative
// allocation across the call (other goroutines' allocations count too, so
// bounds built on it need slack).
func Bytes(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// Slack is what any decoder may allocate whatever its input: readers'
// buffers, gzip's window and tables, error messages.
const Slack = 256 << 10

// Check fails t if f, decoding n bytes of input, allocates more than
// perByte·n + Slack bytes.
func Check(t testing.TB, what string, n, perByte int, f func()) {
	t.Helper()
	if got, limit := Bytes(f), uint64(perByte*n+Slack); got > limit {
		t.Fatalf("%s allocated %d bytes for %d bytes of input (limit %d·n + %d = %d)", what, got, n, perByte, Slack, limit)
	}
}
