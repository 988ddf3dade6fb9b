//go:build purego || !(amd64 || (js && wasm))

package nn

// lesserKernels returns nil: this platform has at most one kernel besides
// GoKernel.
func lesserKernels() []func() Kernel { return nil }
