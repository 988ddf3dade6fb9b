//go:build !purego

#include "textflag.h"

// AVX-512F partner of direct_amd64.s's convSpreadAVX for output channels
// in multiples of 16: a tap's weights fill one Z register, and each
// multiply-add broadcasts its input value from memory.

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
