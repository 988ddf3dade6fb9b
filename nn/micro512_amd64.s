//go:build !purego

#include "textflag.h"

// AVX-512F micro-kernels for GoKernel (see gemm.go for the layouts), the
// 16-float partners of micro_amd64.s's: A is read in place, row by row with
// stride lda; B is packed. The accumulators stay in Z registers for the
// whole k loop; C is read and written once, at the end. Row i of A is at
// SI + i*lda for i < 8, and R10 + (i-8)*lda after: the index registers hold
// lda (R9), 3·lda (R11), 5·lda (R12) and 7·lda (R13), in bytes.

#define ROWS_SETUP \
	MOVQ a_base+8(FP), SI \
	MOVQ lda+32(FP), R9 \
	SHLQ $2, R9 \
	LEAQ (R9)(R9*2), R11 \
	LEAQ (R9)(R9*4), R12 \
	LEAQ (R11)(R9*4), R13 \
	LEAQ (SI)(R9*8), R10

// Row r of A at byte offset off, from base b.
#define A0(b, off) off(b)
#define A1(b, off) off(b)(R9*1)
#define A2(b, off) off(b)(R9*2)
#define A3(b, off) off(b)(R11*1)
#define A4(b, off) off(b)(R9*4)
#define A5(b, off) off(b)(R12*1)
#define A6(b, off) off(b)(R11*2)
#define A7(b, off) off(b)(R13*1)

// One row of the 8x32 kernel: a broadcast of A and two B vectors.
#define ROW32(addr, c0, c1) \
	VBROADCASTSS addr, Z2 \
	VFMADD231PS Z0, Z2, c0 \
	VFMADD231PS Z1, Z2, c1

// One k step of the 8x32 kernel: two 16-wide B vectors, eight rows.
#define STEP8x32(aoff, boff) \
	VMOVUPS boff(DI), Z0 \
	VMOVUPS boff+64(DI), Z1 \
	ROW32(A0(SI, aoff), Z3, Z4) \
	ROW32(A1(SI, aoff), Z5, Z6) \
	ROW32(A2(SI, aoff), Z7, Z8) \
	ROW32(A3(SI, aoff), Z9, Z10) \
	ROW32(A4(SI, aoff), Z11, Z12) \
	ROW32(A5(SI, aoff), Z13, Z14) \
	ROW32(A6(SI, aoff), Z15, Z16) \
	ROW32(A7(SI, aoff), Z17, Z18)

#define STORE32(c0, c1) \
	VADDPS (DX), c0, c0 \
	VMOVUPS c0, (DX) \
	VADDPS 64(DX), c1, c1 \
	VMOVUPS c1, 64(DX) \
	ADDQ R8, DX

// func micro8x32(k int, a []float32, lda int, b, c []float32, ldc int)
TEXT ·micro8x32(SB), NOSPLIT, $0-96
	MOVQ k+0(FP), CX
	ROWS_SETUP
	MOVQ b_base+40(FP), DI
	VPXORD Z3, Z3, Z3
	VPXORD Z4, Z4, Z4
	VPXORD Z5, Z5, Z5
	VPXORD Z6, Z6, Z6
	VPXORD Z7, Z7, Z7
	VPXORD Z8, Z8, Z8
	VPXORD Z9, Z9, Z9
	VPXORD Z10, Z10, Z10
	VPXORD Z11, Z11, Z11
	VPXORD Z12, Z12, Z12
	VPXORD Z13, Z13, Z13
	VPXORD Z14, Z14, Z14
	VPXORD Z15, Z15, Z15
	VPXORD Z16, Z16, Z16
	VPXORD Z17, Z17, Z17
	VPXORD Z18, Z18, Z18
	MOVQ CX, BX
	SHRQ $2, BX
	ANDQ $3, CX
	TESTQ BX, BX
	JE tail8
loop8:
	STEP8x32(0, 0)
	STEP8x32(4, 128)
	STEP8x32(8, 256)
	STEP8x32(12, 384)
	ADDQ $16, SI
	ADDQ $512, DI
	DECQ BX
	JNE loop8
tail8:
	TESTQ CX, CX
	JE store8
	STEP8x32(0, 0)
	ADDQ $4, SI
	ADDQ $128, DI
	DECQ CX
	JMP tail8
store8:
	MOVQ c_base+64(FP), DX
	MOVQ ldc+88(FP), R8
	SHLQ $2, R8
	STORE32(Z3, Z4)
	STORE32(Z5, Z6)
	STORE32(Z7, Z8)
	STORE32(Z9, Z10)
	STORE32(Z11, Z12)
	STORE32(Z13, Z14)
	STORE32(Z15, Z16)
	STORE32(Z17, Z18)
	VZEROUPPER
	RET

// One k step of the 16x16 kernel: one B vector, sixteen rows, each a
// multiply-add with A's value broadcast from memory.
#define STEP16x16(aoff, boff) \
	VMOVUPS boff(DI), Z0 \
	VFMADD231PS.BCST A0(SI, aoff), Z0, Z1 \
	VFMADD231PS.BCST A1(SI, aoff), Z0, Z2 \
	VFMADD231PS.BCST A2(SI, aoff), Z0, Z3 \
	VFMADD231PS.BCST A3(SI, aoff), Z0, Z4 \
	VFMADD231PS.BCST A4(SI, aoff), Z0, Z5 \
	VFMADD231PS.BCST A5(SI, aoff), Z0, Z6 \
	VFMADD231PS.BCST A6(SI, aoff), Z0, Z7 \
	VFMADD231PS.BCST A7(SI, aoff), Z0, Z8 \
	VFMADD231PS.BCST A0(R10, aoff), Z0, Z9 \
	VFMADD231PS.BCST A1(R10, aoff), Z0, Z10 \
	VFMADD231PS.BCST A2(R10, aoff), Z0, Z11 \
	VFMADD231PS.BCST A3(R10, aoff), Z0, Z12 \
	VFMADD231PS.BCST A4(R10, aoff), Z0, Z13 \
	VFMADD231PS.BCST A5(R10, aoff), Z0, Z14 \
	VFMADD231PS.BCST A6(R10, aoff), Z0, Z15 \
	VFMADD231PS.BCST A7(R10, aoff), Z0, Z16

#define STORE16(c0) \
	VADDPS (DX), c0, c0 \
	VMOVUPS c0, (DX) \
	ADDQ R8, DX

// func micro16x16(k int, a []float32, lda int, b, c []float32, ldc int)
TEXT ·micro16x16(SB), NOSPLIT, $0-96
	MOVQ k+0(FP), CX
	ROWS_SETUP
	MOVQ b_base+40(FP), DI
	VPXORD Z1, Z1, Z1
	VPXORD Z2, Z2, Z2
	VPXORD Z3, Z3, Z3
	VPXORD Z4, Z4, Z4
	VPXORD Z5, Z5, Z5
	VPXORD Z6, Z6, Z6
	VPXORD Z7, Z7, Z7
	VPXORD Z8, Z8, Z8
	VPXORD Z9, Z9, Z9
	VPXORD Z10, Z10, Z10
	VPXORD Z11, Z11, Z11
	VPXORD Z12, Z12, Z12
	VPXORD Z13, Z13, Z13
	VPXORD Z14, Z14, Z14
	VPXORD Z15, Z15, Z15
	VPXORD Z16, Z16, Z16
	MOVQ CX, BX
	SHRQ $2, BX
	ANDQ $3, CX
	TESTQ BX, BX
	JE tail16
loop16:
	STEP16x16(0, 0)
	STEP16x16(4, 64)
	STEP16x16(8, 128)
	STEP16x16(12, 192)
	ADDQ $16, SI
	ADDQ $16, R10
	ADDQ $256, DI
	DECQ BX
	JNE loop16
tail16:
	TESTQ CX, CX
	JE store16
	STEP16x16(0, 0)
	ADDQ $4, SI
	ADDQ $4, R10
	ADDQ $64, DI
	DECQ CX
	JMP tail16
store16:
	MOVQ c_base+64(FP), DX
	MOVQ ldc+88(FP), R8
	SHLQ $2, R8
	STORE16(Z1)
	STORE16(Z2)
	STORE16(Z3)
	STORE16(Z4)
	STORE16(Z5)
	STORE16(Z6)
	STORE16(Z7)
	STORE16(Z8)
	STORE16(Z9)
	STORE16(Z10)
	STORE16(Z11)
	STORE16(Z12)
	STORE16(Z13)
	STORE16(Z14)
	STORE16(Z15)
	STORE16(Z16)
	VZEROUPPER
	RET
