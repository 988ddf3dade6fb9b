//go:build amd64 && !purego

package nn

import "golang.org/x/sys/cpu"

// Implemented in micro_amd64.s.
func micro6x16(k int, a []float32, lda int, b, c []float32, ldc int)
func micro12x8(k int, a []float32, lda int, b, c []float32, ldc int)
func dotAVX(a, b []float32) float32
func axpyAVX(alpha float32, x, y []float32)

// platformKernel returns the AVX2+FMA kernel where the CPU has both: the
// portable GoKernel with assembly micro-kernels for its GEMM and axpy.
func platformKernel() Kernel {
	if !cpu.X86.HasAVX2 || !cpu.X86.HasFMA {
		return nil
	}
	return newAVX2Kernel()
}

func newAVX2Kernel() *GoKernel {
	return &GoKernel{
		name:   "avx2",
		shapes: []microShape{{mr: 12, nr: 8, micro: micro12x8}, {mr: 6, nr: 16, micro: micro6x16}},
		dot:    dotAVX,
		axpy:   axpyAVX,
		wino:   &winoAVX,
	}
}
