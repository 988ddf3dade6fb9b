//go:build amd64 && !purego

package nn

import "golang.org/x/sys/cpu"

// Implemented in micro_amd64.s (AVX2+FMA) and micro512_amd64.s (AVX-512F).
func micro6x16(k int, a []float32, lda int, b, c []float32, ldc int)
func micro12x8(k int, a []float32, lda int, b, c []float32, ldc int)
func micro8x32(k int, a []float32, lda int, b, c []float32, ldc int)
func micro16x16(k int, a []float32, lda int, b, c []float32, ldc int)
func dotAVX(a, b []float32) float32
func axpyAVX(alpha float32, x, y []float32)

// platformKernel returns the AVX-512 kernel where the CPU (and the OS,
// which must save the wider registers) has AVX-512F, else the AVX2+FMA
// kernel where it has both.
func platformKernel() Kernel {
	switch {
	case hasAVX512():
		return newAVX512Kernel()
	case hasAVX2():
		return newAVX2Kernel()
	}
	return nil
}

// lesserKernels are the kernels the CPU has besides platformKernel's
// choice and GoKernel: AVX2 where AVX-512 was chosen.
func lesserKernels() []func() Kernel {
	if hasAVX512() {
		return []func() Kernel{func() Kernel { return newAVX2Kernel() }}
	}
	return nil
}

func hasAVX2() bool { return cpu.X86.HasAVX2 && cpu.X86.HasFMA }

// hasAVX512: the AVX-512 kernel also runs the AVX2 loops.
func hasAVX512() bool { return hasAVX2() && cpu.X86.HasAVX512F }

func newAVX2Kernel() *avxKernel {
	return &avxKernel{GoKernel: GoKernel{
		name: "avx2",
		// Costs in proportion to each micro-kernel's time for a tile row
		// (nr over its GFLOP/s in go test -run XXX -bench MicroKernels
		// ./nn/, on a quiet EPYC): 12x8 takes 3/5 of 6x16's time for
		// half the columns.
		shapes:   []microShape{{mr: 6, nr: 16, cost: 5, micro: micro6x16}, {mr: 12, nr: 8, cost: 3, micro: micro12x8}},
		dot:      dotAVX,
		axpy:     axpyAVX,
		packATFn: packATAVX,
		packBFn:  packBTAVX,
		wino:     &winoAVX,
		// Winograd where both channel counts are at least 8: there it
		// measured faster than im2col on every catalogue layer, forward
		// (0.54 to 0.80 of im2col's time) and back (0.59 to 0.97); with one
		// channel in or out (the first and last layers) it was slower,
		// up to 2.6 times (medians of per-round ratios over 8 rounds of
		//	go test -c -o nn.test ./nn && cd nn &&
		//	../nn.test -test.run XXX -test.bench 'ConvWinograd/.*/avx2/' -test.benchtime 300ms
		// on a shared 2-core "Turin-like" VM).
		// Direct: the first and last layers' convolutions by the loops of
		// direct_amd64.s took 1/8 to 1/3 of im2col's time on the avx512
		// kernel, forward and back (128 samples of the conv model's, in
		//	go test -run XXX -bench 'ConvWinograd/(conv1|conv7)' -benchtime 5x ./nn
		// on the same VM).
		// Chunks: 1.18 to 1.33 times whole batches' samples/s for the conv
		// model, 1.12 to 1.25 for the denoiser (three rounds of
		//	go test -run XXX -bench 'TrainStepChunks/(conv|denoise)' -benchtime 30x ./nn/train
		// on the avx512 kernel).
		tuning: Tuning{Direct: true, Chunks: true, WinogradFwd: 8, WinogradBwd: 8},
	}}
}

// newAVX512Kernel is the AVX2 kernel with AVX-512 micro-kernels for
// products wider than 8 columns (16-float vectors, and 32 registers to keep
// a tile in) and an AVX-512 SigmoidBCE. It keeps the AVX2 kernel's
// Winograd transforms and rule.
func newAVX512Kernel() *avxKernel {
	k := newAVX2Kernel()
	k.name = "avx512"
	k.avx512 = true
	// Costs as for AVX2: 16x16 loads as often as it multiplies and takes
	// a little more than half of 8x32's time for half the columns; 12x8,
	// 8-float vectors, a little less.
	k.shapes = []microShape{{mr: 8, nr: 32, cost: 16, micro: micro8x32}, {mr: 12, nr: 8, cost: 8, micro: micro12x8}, {mr: 16, nr: 16, cost: 9, micro: micro16x16}}
	return k
}
