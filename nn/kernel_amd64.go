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
		// Winograd where both channel counts are at least 8: there it
		// measured faster than im2col on every catalogue layer, forward
		// (0.54 to 0.80 of im2col's time) and back (0.59 to 0.97); with one
		// channel in or out (the first and last layers) it was slower,
		// up to 2.6 times (medians of per-round ratios over 8 rounds of
		//	go test -c -o nn.test ./nn && cd nn &&
		//	../nn.test -test.run XXX -test.bench 'ConvWinograd/.*/avx2/' -test.benchtime 300ms
		// on a shared 2-core "Turin-like" VM).
		tuning: Tuning{WinogradFwd: 8, WinogradBwd: 8},
	}
}
