//go:build purego || !(amd64 || (js && wasm))

package nn

// platformKernel returns nil: this build has only the portable kernel.
func platformKernel() Kernel { return nil }
