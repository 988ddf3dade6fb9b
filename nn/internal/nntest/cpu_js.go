package nntest

import (
	"strconv"
	"strings"
	"syscall/js"
)

// ThreadCPU returns the CPU time, in nanoseconds, that the thread running
// the program has had, where it can tell: under node on Linux, from
// /proc/thread-self/schedstat (a Go program in WebAssembly runs on one
// thread, JavaScript's). On a shared machine this is steadier than the
// wall clock, which also counts the time other jobs had the core.
func ThreadCPU() (ns int64, ok bool) {
	fs := js.Global().Get("fs")
	if !fs.Truthy() || !fs.Get("readFileSync").Truthy() {
		return 0, false // a browser: its fs is wasm_exec.js's stub
	}
	var s string
	func() {
		defer func() { _ = recover() }() // a JavaScript exception: no such file
		s = fs.Call("readFileSync", "/proc/thread-self/schedstat", "utf8").String()
	}()
	f := strings.Fields(s)
	if len(f) == 0 {
		return 0, false
	}
	n, err := strconv.ParseInt(f[0], 10, 64)
	return n, err == nil
}
