// Package simdgen writes the WebAssembly SIMD kernels that package nn uses
// in browsers. Go's compiler emits no SIMD for wasm, so the kernels are a
// separate, tiny module, generated here instruction by instruction (the
// code reads like the WAT it encodes) and embedded in nn as
// simd_kernel.wasm; a test checks the committed files are fresh.
//
// The module imports the Go program's memory ("env" "mem"). Every export
// takes one i32, the address of its arguments in that memory (so that a
// call from Go passes one prepared value and allocates nothing), and works
// on byte addresses:
//
//	gemm(a, lda, b, c, ldc, m, n, k, store)  C += A·B (C = A·B if store); A m×k read in place with row
//	                                  stride lda (floats), B packed in panels
//	                                  of 8 columns (panel q, row p, column j at
//	                                  b[q*8*k + p*8 + j]), m a multiple of 4, n of 8
//	reluBias(y, bias, n, c)           y = max(y + bias, 0)
//	sigmoidBias(y, bias, n, c)        y = 1 / (1 + exp(-(y + bias)))
//	reluGrad(y, dy, n)                dy = y > 0 ? dy : 0
//	bceSum(p, y, n) f64               Σ -(y log p + (1-y) log(1-p)), p clipped
//	                                  to [1e-7, 1-1e-7], summed in f64
//	gemv(a, lda, x, c, ldc, m, k)     c[i*ldc] += a_i·x: the n = 1 GEMM
//	gevm(a, b, ldb, c, n, k)          c += Σ_p a[p]·b_p: the m = 1 GEMM (n%4 = 0)
//	patches(src, h, w, c, oh, ow, kh, kw, stride, padT, padL, col)   im2col
//	patches1(src, h, w, oh, ow, padT, padL, col)   im2col for c = 1, 3×3, stride 1
//	sumTaps3(z, y, h, w, oh, ow, padT, padL)       a one-filter 3×3 convolution's taps summed
//	packB(b, ldb, kc, nc, dst)        the GEMM's packing of B in panels of 8 (nc%8 = 0)
//	packAT(a, lda, kc, mc, dst)       the packing of a transposed A (mc%4 = 0)
//	packBT(b, ldb, k4, nc, dst, kc)   packB for a transposed B, rows p < k4 (k4%4 = 0, nc%8 = 0)
//	maxPool, maxPoolGrad, upsample, upsampleGrad   pooling layers, c%4 = 0
//	colSums(m, rows, c, dst)          dst += the column sums of m (the bias gradient)
//	adam(w, g, m, v, n, 1-b1, 1-b2, alpha, eps)   Keras' Adam step (f32 arguments as bits)
//	vadd(dst, src, n)                 dst += src (summing workers' gradients)
//	finite(x, n) f64                  Σ x·0: NaN when any value is not finite
//	scaledDiff(dz, p, y, n, scale)    dz = scale·(p - y): the sigmoid+BCE gradient
//	toFloat(src, dst, n)              bytes to floats /255 (n%16 = 0)
//	sigmoidBCE(z, bias, n, c, y, dz, scale) f64   the output layer of a training
//	                                  step in one pass: sigmoid, dz = scale·(p - y),
//	                                  and the summed loss (see sigmoidBCE)
//	winoIn, winoOut, winoGradOut, winoGradIn(img, stride, c, th, tw, tr, pos)
//	                                  Winograd F(2×2, 3×3)'s transforms over
//	                                  th×tw tiles, c%4 = 0 (see winograd.go)
//
// For the bias kernels c is the bias length: 1 (one bias for all) or a
// multiple of 4 (one per channel, the fastest dimension). n counts floats
// and is a multiple of 4; callers do any tail.
//
// Two variants: baseline SIMD128, and relaxed SIMD (f32x4.relaxed_madd, a
// fused multiply-add where the CPU has one) for the GEMM's inner loop. The
// loader picks the relaxed one when the engine validates it.
package simdgen
