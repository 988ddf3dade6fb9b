//go:build !purego

#include "textflag.h"

// AVX2 loops of the direct 3×3, stride-1 convolutions with one channel on
// one side (see direct_amd64.go), over one row of n output pixels of a
// padded image whose rows are stride floats apart. c, the other side's
// channels, is a multiple of 8.

// The multiply-adds of tap (ky, kx), its weights in w, for four pixels:
// a broadcast of each pixel's input value under the tap.
#define SPREAD4(w, base, off) \
	VBROADCASTSS off(base), Y13 \
	VFMADD231PS  Y13, w, Y9 \
	VBROADCASTSS off+4(base), Y14 \
	VFMADD231PS  Y14, w, Y10 \
	VBROADCASTSS off+8(base), Y13 \
	VFMADD231PS  Y13, w, Y11 \
	VBROADCASTSS off+12(base), Y14 \
	VFMADD231PS  Y14, w, Y12

#define SPREAD1(w, base, off) \
	VBROADCASTSS off(base), Y13 \
	VFMADD231PS  Y13, w, Y9

// func convSpreadAVX(src *float32, stride, n int, w *float32, c int, dst *float32)
//
// One input channel: dst[i·c + j] = Σ over ky, kx of
// src[ky·stride + i + kx]·w[(3ky + kx)·c + j], 8 output channels at a
// time, their 9 taps' weights in Y0…Y8.
TEXT ·convSpreadAVX(SB), NOSPLIT, $0-48
	MOVQ stride+8(FP), R8
	SHLQ $2, R8
	MOVQ w+24(FP), AX
	MOVQ c+32(FP), R9
	SHLQ $2, R9
	LEAQ (R9)(R9*2), R10
	MOVQ dst+40(FP), DX
	MOVQ R9, R14 // bytes of output channels left
spchunk:
	VMOVUPS (AX), Y0
	VMOVUPS (AX)(R9*1), Y1
	VMOVUPS (AX)(R9*2), Y2
	VMOVUPS (AX)(R10*1), Y3
	VMOVUPS (AX)(R9*4), Y4
	LEAQ    (AX)(R9*4), R13
	VMOVUPS (R13)(R9*1), Y5
	VMOVUPS (R13)(R10*1), Y7
	VMOVUPS (R13)(R9*2), Y6
	VMOVUPS (R13)(R9*4), Y8
	MOVQ src+0(FP), SI
	LEAQ (SI)(R8*1), R11
	LEAQ (R11)(R8*1), R12
	MOVQ DX, DI
	MOVQ n+16(FP), BX
	CMPQ BX, $4
	JLT  sp1
sp4:
	VXORPS Y9, Y9, Y9
	VXORPS Y10, Y10, Y10
	VXORPS Y11, Y11, Y11
	VXORPS Y12, Y12, Y12
	SPREAD4(Y0, SI, 0)
	SPREAD4(Y1, SI, 4)
	SPREAD4(Y2, SI, 8)
	SPREAD4(Y3, R11, 0)
	SPREAD4(Y4, R11, 4)
	SPREAD4(Y5, R11, 8)
	SPREAD4(Y6, R12, 0)
	SPREAD4(Y7, R12, 4)
	SPREAD4(Y8, R12, 8)
	VMOVUPS Y9, (DI)
	VMOVUPS Y10, (DI)(R9*1)
	VMOVUPS Y11, (DI)(R9*2)
	VMOVUPS Y12, (DI)(R10*1)
	LEAQ (DI)(R9*4), DI
	ADDQ $16, SI
	ADDQ $16, R11
	ADDQ $16, R12
	SUBQ $4, BX
	CMPQ BX, $4
	JGE  sp4
sp1:
	TESTQ BX, BX
	JE   spnext
	VXORPS Y9, Y9, Y9
	SPREAD1(Y0, SI, 0)
	SPREAD1(Y1, SI, 4)
	SPREAD1(Y2, SI, 8)
	SPREAD1(Y3, R11, 0)
	SPREAD1(Y4, R11, 4)
	SPREAD1(Y5, R11, 8)
	SPREAD1(Y6, R12, 0)
	SPREAD1(Y7, R12, 4)
	SPREAD1(Y8, R12, 8)
	VMOVUPS Y9, (DI)
	ADDQ R9, DI
	ADDQ $4, SI
	ADDQ $4, R11
	ADDQ $4, R12
	DECQ BX
	JMP  sp1
spnext:
	ADDQ $32, AX
	ADDQ $32, DX
	SUBQ $32, R14
	JNE  spchunk
	VZEROUPPER
	RET

// func convDotAVX(src *float32, stride, c, n int, w *float32, dst *float32)
//
// One output channel: dst[i] = Σ over ky of the dot product of the 3c
// input values src[ky·stride + i·c …] with the kernel row w[ky·3c …].
TEXT ·convDotAVX(SB), NOSPLIT, $0-48
	MOVQ src+0(FP), SI
	MOVQ stride+8(FP), R8
	SHLQ $2, R8
	MOVQ c+16(FP), R9
	SHLQ $2, R9
	LEAQ (R9)(R9*2), R10 // 3c, a kernel row, in bytes
	MOVQ n+24(FP), DX
	MOVQ dst+40(FP), R14
	CMPQ DX, $4
	JLT  dot1
dot4:
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	// Each kernel row: 3c values at BX, the inputs under it at R11 for
	// the first pixel, c floats further for each next.
	MOVQ w+32(FP), BX
	MOVQ SI, R11
	MOVQ $3, AX
dot4row:
	MOVQ R11, DI
	MOVQ R10, CX
dot4vec:
	VMOVUPS (BX), Y4
	VFMADD231PS (DI), Y4, Y0
	VFMADD231PS (DI)(R9*1), Y4, Y1
	VFMADD231PS (DI)(R9*2), Y4, Y2
	VFMADD231PS (DI)(R10*1), Y4, Y3
	ADDQ $32, DI
	ADDQ $32, BX
	SUBQ $32, CX
	JNE  dot4vec
	ADDQ R8, R11
	DECQ AX
	JNE  dot4row
	// The four sums, across lanes.
	VHADDPS Y1, Y0, Y0
	VHADDPS Y3, Y2, Y2
	VHADDPS Y2, Y0, Y0
	VEXTRACTF128 $1, Y0, X1
	VADDPS  X1, X0, X0
	VMOVUPS X0, (R14)
	ADDQ $16, R14
	LEAQ (SI)(R9*4), SI
	SUBQ $4, DX
	CMPQ DX, $4
	JGE  dot4
dot1:
	TESTQ DX, DX
	JE   dotdone
	VXORPS Y0, Y0, Y0
	MOVQ w+32(FP), BX
	MOVQ SI, DI
	MOVQ $3, AX
dot1row:
	MOVQ R10, CX
dot1vec:
	VMOVUPS (BX), Y4
	VFMADD231PS (DI), Y4, Y0
	ADDQ $32, DI
	ADDQ $32, BX
	SUBQ $32, CX
	JNE  dot1vec
	SUBQ R10, DI
	ADDQ R8, DI
	DECQ AX
	JNE  dot1row
	VEXTRACTF128 $1, Y0, X1
	VADDPS  X1, X0, X0
	VHADDPS X0, X0, X0
	VHADDPS X0, X0, X0
	VMOVSS  X0, (R14)
	ADDQ $4, R14
	ADDQ R9, SI
	DECQ DX
	JMP  dot1
dotdone:
	VZEROUPPER
	RET

// func convDotGradAVX(src *float32, c, n int, dz *float32, acc *float32)
//
// The kernel's gradient for one output channel, one kernel row:
// acc[t] += Σ over i of dz[i]·src[i·c + t] for t < 3c, 24 values of acc
// at a time, four pixels in separate sums.
TEXT ·convDotGradAVX(SB), NOSPLIT, $0-40
	MOVQ c+8(FP), R9
	SHLQ $2, R9
	LEAQ (R9)(R9*2), R10
	MOVQ acc+32(FP), DI
	MOVQ src+0(FP), R13
	MOVQ R10, R14 // bytes of acc left
dgchunk:
	VMOVUPS (DI), Y0
	VMOVUPS 32(DI), Y1
	VMOVUPS 64(DI), Y2
	VXORPS Y3, Y3, Y3
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7
	VXORPS Y8, Y8, Y8
	VXORPS Y9, Y9, Y9
	VXORPS Y10, Y10, Y10
	VXORPS Y11, Y11, Y11
	MOVQ R13, SI
	MOVQ dz+24(FP), DX
	MOVQ n+16(FP), BX
	CMPQ BX, $4
	JLT  dg1
dg4:
	VBROADCASTSS (DX), Y12
	VFMADD231PS  (SI), Y12, Y0
	VFMADD231PS  32(SI), Y12, Y1
	VFMADD231PS  64(SI), Y12, Y2
	VBROADCASTSS 4(DX), Y13
	VFMADD231PS  (SI)(R9*1), Y13, Y3
	VFMADD231PS  32(SI)(R9*1), Y13, Y4
	VFMADD231PS  64(SI)(R9*1), Y13, Y5
	VBROADCASTSS 8(DX), Y14
	VFMADD231PS  (SI)(R9*2), Y14, Y6
	VFMADD231PS  32(SI)(R9*2), Y14, Y7
	VFMADD231PS  64(SI)(R9*2), Y14, Y8
	VBROADCASTSS 12(DX), Y15
	VFMADD231PS  (SI)(R10*1), Y15, Y9
	VFMADD231PS  32(SI)(R10*1), Y15, Y10
	VFMADD231PS  64(SI)(R10*1), Y15, Y11
	ADDQ $16, DX
	LEAQ (SI)(R9*4), SI
	SUBQ $4, BX
	CMPQ BX, $4
	JGE  dg4
dg1:
	TESTQ BX, BX
	JE   dgstore
	VBROADCASTSS (DX), Y12
	VFMADD231PS  (SI), Y12, Y0
	VFMADD231PS  32(SI), Y12, Y1
	VFMADD231PS  64(SI), Y12, Y2
	ADDQ $4, DX
	ADDQ R9, SI
	DECQ BX
	JMP  dg1
dgstore:
	VADDPS Y3, Y0, Y0
	VADDPS Y7, Y4, Y4
	VADDPS Y11, Y8, Y8
	VADDPS Y6, Y0, Y0
	VADDPS Y10, Y1, Y1
	VADDPS Y5, Y2, Y2
	VADDPS Y9, Y0, Y0
	VADDPS Y4, Y1, Y1
	VADDPS Y8, Y2, Y2
	VMOVUPS Y0, (DI)
	VMOVUPS Y1, 32(DI)
	VMOVUPS Y2, 64(DI)
	ADDQ $96, DI
	ADDQ $96, R13
	SUBQ $96, R14
	JNE  dgchunk
	VZEROUPPER
	RET

// The spread gradient of one pixel (its output gradient in Y12) into the
// three taps' sums a, b, c: the pixel's input values under them broadcast.
#define SPREADGRAD(off, a, b, c) \
	VBROADCASTSS off(SI), Y13 \
	VFMADD231PS  Y13, Y12, a \
	VBROADCASTSS off+4(SI), Y14 \
	VFMADD231PS  Y14, Y12, b \
	VBROADCASTSS off+8(SI), Y15 \
	VFMADD231PS  Y15, Y12, c

// func convSpreadGradAVX(src *float32, n int, dz *float32, c int, acc *float32)
//
// The kernel's gradient for one input channel, one kernel row:
// acc[kx·c + j] += Σ over i of src[i + kx]·dz[i·c + j], 8 output
// channels at a time, four pixels in separate sums.
TEXT ·convSpreadGradAVX(SB), NOSPLIT, $0-40
	MOVQ c+24(FP), R9
	SHLQ $2, R9
	LEAQ (R9)(R9*2), R10
	MOVQ acc+32(FP), DI
	MOVQ dz+16(FP), AX
	MOVQ R9, R14 // bytes of channels left
sgchunk:
	VMOVUPS (DI), Y0
	VMOVUPS (DI)(R9*1), Y1
	VMOVUPS (DI)(R9*2), Y2
	VXORPS Y3, Y3, Y3
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7
	VXORPS Y8, Y8, Y8
	VXORPS Y9, Y9, Y9
	VXORPS Y10, Y10, Y10
	VXORPS Y11, Y11, Y11
	MOVQ src+0(FP), SI
	MOVQ AX, DX
	MOVQ n+8(FP), BX
	CMPQ BX, $4
	JLT  sg1
sg4:
	VMOVUPS (DX), Y12
	SPREADGRAD(0, Y0, Y1, Y2)
	VMOVUPS (DX)(R9*1), Y12
	SPREADGRAD(4, Y3, Y4, Y5)
	VMOVUPS (DX)(R9*2), Y12
	SPREADGRAD(8, Y6, Y7, Y8)
	VMOVUPS (DX)(R10*1), Y12
	SPREADGRAD(12, Y9, Y10, Y11)
	ADDQ $16, SI
	LEAQ (DX)(R9*4), DX
	SUBQ $4, BX
	CMPQ BX, $4
	JGE  sg4
sg1:
	TESTQ BX, BX
	JE   sgstore
	VMOVUPS (DX), Y12
	SPREADGRAD(0, Y0, Y1, Y2)
	ADDQ $4, SI
	ADDQ R9, DX
	DECQ BX
	JMP  sg1
sgstore:
	VADDPS Y3, Y0, Y0
	VADDPS Y4, Y1, Y1
	VADDPS Y5, Y2, Y2
	VADDPS Y9, Y6, Y6
	VADDPS Y10, Y7, Y7
	VADDPS Y11, Y8, Y8
	VADDPS Y6, Y0, Y0
	VADDPS Y7, Y1, Y1
	VADDPS Y8, Y2, Y2
	VMOVUPS Y0, (DI)
	VMOVUPS Y1, (DI)(R9*1)
	VMOVUPS Y2, (DI)(R9*2)
	ADDQ $32, DI
	ADDQ $32, AX
	SUBQ $32, R14
	JNE  sgchunk
	VZEROUPPER
	RET
