//go:build !purego

#include "textflag.h"

// AVX-512F partners of direct_amd64.s's loops for 16 channels at a time
// (c a multiple of 16): convSpread512's tap weights fill one Z register,
// and each multiply-add broadcasts its input value from memory; the
// gradients' loops are the AVX2 ones with Z registers.

// Tap (base, off)'s multiply-adds, its weights in w, for eight pixels.
#define SPREAD8(w, base, off) \
	VFMADD231PS.BCST off(base), w, Z9 \
	VFMADD231PS.BCST off+4(base), w, Z10 \
	VFMADD231PS.BCST off+8(base), w, Z11 \
	VFMADD231PS.BCST off+12(base), w, Z12 \
	VFMADD231PS.BCST off+16(base), w, Z13 \
	VFMADD231PS.BCST off+20(base), w, Z14 \
	VFMADD231PS.BCST off+24(base), w, Z15 \
	VFMADD231PS.BCST off+28(base), w, Z16

#define SPREAD1Z(w, base, off) \
	VFMADD231PS.BCST off(base), w, Z9

// func convSpread512(src *float32, stride, n int, w *float32, c int, dst *float32)
TEXT ·convSpread512(SB), NOSPLIT, $0-48
	MOVQ stride+8(FP), R8
	SHLQ $2, R8
	MOVQ w+24(FP), AX
	MOVQ c+32(FP), R9
	SHLQ $2, R9
	LEAQ (R9)(R9*2), R10
	MOVQ dst+40(FP), DX
	MOVQ R9, R14 // bytes of output channels left
zchunk:
	VMOVUPS (AX), Z0
	VMOVUPS (AX)(R9*1), Z1
	VMOVUPS (AX)(R9*2), Z2
	VMOVUPS (AX)(R10*1), Z3
	VMOVUPS (AX)(R9*4), Z4
	LEAQ    (AX)(R9*4), R13
	VMOVUPS (R13)(R9*1), Z5
	VMOVUPS (R13)(R9*2), Z6
	VMOVUPS (R13)(R10*1), Z7
	VMOVUPS (R13)(R9*4), Z8
	MOVQ src+0(FP), SI
	LEAQ (SI)(R8*1), R11
	LEAQ (R11)(R8*1), R12
	MOVQ DX, DI
	MOVQ n+16(FP), BX
	CMPQ BX, $8
	JLT  z1
z8:
	VPXORD Z9, Z9, Z9
	VPXORD Z10, Z10, Z10
	VPXORD Z11, Z11, Z11
	VPXORD Z12, Z12, Z12
	VPXORD Z13, Z13, Z13
	VPXORD Z14, Z14, Z14
	VPXORD Z15, Z15, Z15
	VPXORD Z16, Z16, Z16
	SPREAD8(Z0, SI, 0)
	SPREAD8(Z1, SI, 4)
	SPREAD8(Z2, SI, 8)
	SPREAD8(Z3, R11, 0)
	SPREAD8(Z4, R11, 4)
	SPREAD8(Z5, R11, 8)
	SPREAD8(Z6, R12, 0)
	SPREAD8(Z7, R12, 4)
	SPREAD8(Z8, R12, 8)
	VMOVUPS Z9, (DI)
	VMOVUPS Z10, (DI)(R9*1)
	VMOVUPS Z11, (DI)(R9*2)
	VMOVUPS Z12, (DI)(R10*1)
	LEAQ    (DI)(R9*4), DI
	VMOVUPS Z13, (DI)
	VMOVUPS Z14, (DI)(R9*1)
	VMOVUPS Z15, (DI)(R9*2)
	VMOVUPS Z16, (DI)(R10*1)
	LEAQ (DI)(R9*4), DI
	ADDQ $32, SI
	ADDQ $32, R11
	ADDQ $32, R12
	SUBQ $8, BX
	CMPQ BX, $8
	JGE  z8
z1:
	TESTQ BX, BX
	JE   znext
	VPXORD Z9, Z9, Z9
	SPREAD1Z(Z0, SI, 0)
	SPREAD1Z(Z1, SI, 4)
	SPREAD1Z(Z2, SI, 8)
	SPREAD1Z(Z3, R11, 0)
	SPREAD1Z(Z4, R11, 4)
	SPREAD1Z(Z5, R11, 8)
	SPREAD1Z(Z6, R12, 0)
	SPREAD1Z(Z7, R12, 4)
	SPREAD1Z(Z8, R12, 8)
	VMOVUPS Z9, (DI)
	ADDQ R9, DI
	ADDQ $4, SI
	ADDQ $4, R11
	ADDQ $4, R12
	DECQ BX
	JMP  z1
znext:
	ADDQ $64, AX
	ADDQ $64, DX
	SUBQ $64, R14
	JNE  zchunk
	VZEROUPPER
	RET

// func convDotGrad512(src *float32, c, n int, dz *float32, acc *float32)
//
// The kernel's gradient for one output channel, one kernel row:
// acc[t] += Σ over i of dz[i]·src[i·c + t] for t < 3c, 48 values of acc
// at a time, four pixels in separate sums.
TEXT ·convDotGrad512(SB), NOSPLIT, $0-40
	MOVQ c+8(FP), R9
	SHLQ $2, R9
	LEAQ (R9)(R9*2), R10
	MOVQ acc+32(FP), DI
	MOVQ src+0(FP), R13
	MOVQ R10, R14 // bytes of acc left
zdgchunk:
	VMOVUPS (DI), Z0
	VMOVUPS 64(DI), Z1
	VMOVUPS 128(DI), Z2
	VPXORD Z3, Z3, Z3
	VPXORD Z4, Z4, Z4
	VPXORD Z5, Z5, Z5
	VPXORD Z6, Z6, Z6
	VPXORD Z7, Z7, Z7
	VPXORD Z8, Z8, Z8
	VPXORD Z9, Z9, Z9
	VPXORD Z10, Z10, Z10
	VPXORD Z11, Z11, Z11
	MOVQ R13, SI
	MOVQ dz+24(FP), DX
	MOVQ n+16(FP), BX
	CMPQ BX, $4
	JLT  zdg1
zdg4:
	VBROADCASTSS (DX), Z12
	VFMADD231PS  (SI), Z12, Z0
	VFMADD231PS  64(SI), Z12, Z1
	VFMADD231PS  128(SI), Z12, Z2
	VBROADCASTSS 4(DX), Z13
	VFMADD231PS  (SI)(R9*1), Z13, Z3
	VFMADD231PS  64(SI)(R9*1), Z13, Z4
	VFMADD231PS  128(SI)(R9*1), Z13, Z5
	VBROADCASTSS 8(DX), Z14
	VFMADD231PS  (SI)(R9*2), Z14, Z6
	VFMADD231PS  64(SI)(R9*2), Z14, Z7
	VFMADD231PS  128(SI)(R9*2), Z14, Z8
	VBROADCASTSS 12(DX), Z15
	VFMADD231PS  (SI)(R10*1), Z15, Z9
	VFMADD231PS  64(SI)(R10*1), Z15, Z10
	VFMADD231PS  128(SI)(R10*1), Z15, Z11
	ADDQ $16, DX
	LEAQ (SI)(R9*4), SI
	SUBQ $4, BX
	CMPQ BX, $4
	JGE  zdg4
zdg1:
	TESTQ BX, BX
	JE   zdgstore
	VBROADCASTSS (DX), Z12
	VFMADD231PS  (SI), Z12, Z0
	VFMADD231PS  64(SI), Z12, Z1
	VFMADD231PS  128(SI), Z12, Z2
	ADDQ $4, DX
	ADDQ R9, SI
	DECQ BX
	JMP  zdg1
zdgstore:
	VADDPS Z3, Z0, Z0
	VADDPS Z7, Z4, Z4
	VADDPS Z11, Z8, Z8
	VADDPS Z6, Z0, Z0
	VADDPS Z10, Z1, Z1
	VADDPS Z5, Z2, Z2
	VADDPS Z9, Z0, Z0
	VADDPS Z4, Z1, Z1
	VADDPS Z8, Z2, Z2
	VMOVUPS Z0, (DI)
	VMOVUPS Z1, 64(DI)
	VMOVUPS Z2, 128(DI)
	ADDQ $192, DI
	ADDQ $192, R13
	SUBQ $192, R14
	JNE  zdgchunk
	VZEROUPPER
	RET

// The spread gradient of one pixel (its output gradient in Z12) into the
// three taps' sums a, b, c: the pixel's input values under them broadcast.
#define SPREADGRADZ(off, a, b, c) \
	VBROADCASTSS off(SI), Z13 \
	VFMADD231PS  Z13, Z12, a \
	VBROADCASTSS off+4(SI), Z14 \
	VFMADD231PS  Z14, Z12, b \
	VBROADCASTSS off+8(SI), Z15 \
	VFMADD231PS  Z15, Z12, c

// func convSpreadGrad512(src *float32, n int, dz *float32, c int, acc *float32)
//
// The kernel's gradient for one input channel, one kernel row:
// acc[kx·c + j] += Σ over i of src[i + kx]·dz[i·c + j], 16 output
// channels at a time, four pixels in separate sums.
TEXT ·convSpreadGrad512(SB), NOSPLIT, $0-40
	MOVQ c+24(FP), R9
	SHLQ $2, R9
	LEAQ (R9)(R9*2), R10
	MOVQ acc+32(FP), DI
	MOVQ dz+16(FP), AX
	MOVQ R9, R14 // bytes of channels left
zsgchunk:
	VMOVUPS (DI), Z0
	VMOVUPS (DI)(R9*1), Z1
	VMOVUPS (DI)(R9*2), Z2
	VPXORD Z3, Z3, Z3
	VPXORD Z4, Z4, Z4
	VPXORD Z5, Z5, Z5
	VPXORD Z6, Z6, Z6
	VPXORD Z7, Z7, Z7
	VPXORD Z8, Z8, Z8
	VPXORD Z9, Z9, Z9
	VPXORD Z10, Z10, Z10
	VPXORD Z11, Z11, Z11
	MOVQ src+0(FP), SI
	MOVQ AX, DX
	MOVQ n+8(FP), BX
	CMPQ BX, $4
	JLT  zsg1
zsg4:
	VMOVUPS (DX), Z12
	SPREADGRADZ(0, Z0, Z1, Z2)
	VMOVUPS (DX)(R9*1), Z12
	SPREADGRADZ(4, Z3, Z4, Z5)
	VMOVUPS (DX)(R9*2), Z12
	SPREADGRADZ(8, Z6, Z7, Z8)
	VMOVUPS (DX)(R10*1), Z12
	SPREADGRADZ(12, Z9, Z10, Z11)
	ADDQ $16, SI
	LEAQ (DX)(R9*4), DX
	SUBQ $4, BX
	CMPQ BX, $4
	JGE  zsg4
zsg1:
	TESTQ BX, BX
	JE   zsgstore
	VMOVUPS (DX), Z12
	SPREADGRADZ(0, Z0, Z1, Z2)
	ADDQ $4, SI
	ADDQ R9, DX
	DECQ BX
	JMP  zsg1
zsgstore:
	VADDPS Z3, Z0, Z0
	VADDPS Z4, Z1, Z1
	VADDPS Z5, Z2, Z2
	VADDPS Z9, Z6, Z6
	VADDPS Z10, Z7, Z7
	VADDPS Z11, Z8, Z8
	VADDPS Z6, Z0, Z0
	VADDPS Z7, Z1, Z1
	VADDPS Z8, Z2, Z2
	VMOVUPS Z0, (DI)
	VMOVUPS Z1, (DI)(R9*1)
	VMOVUPS Z2, (DI)(R9*2)
	ADDQ $64, DI
	ADDQ $64, AX
	SUBQ $64, R14
	JNE  zsgchunk
	VZEROUPPER
	RET
