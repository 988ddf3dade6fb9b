//go:build !amd64 && !(js && wasm)

package nn

// platformKernels lists the kernels faster than the portable one that this
// platform offers; none here.
func platformKernels() map[string]func() Kernel { return nil }
