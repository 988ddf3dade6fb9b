package nn

// NewKernel returns the fastest Kernel for this platform. Each call returns
// a new one; give each concurrent Runner its own.
func NewKernel() Kernel {
	for _, f := range platformKernels() {
		return f()
	}
	return NewGoKernel()
}
