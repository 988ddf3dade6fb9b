//go:build !purego

#include "textflag.h"

// AVX2 transforms of Winograd's F(2×2, 3×3) (see winograd.go), 8
// channels at a time, over a row of n tiles (the Go side checks the
// bounds). Each does the portable code's operations in its order, so the
// values are the same, but for the sign of a zero: -x is 0-x here.

// One row of the input transform: Bᵀ on the four pixels at R14, into
// h0..h3 (Y0..Y3 are scratch).
#define INROW(h0, h1, h2, h3) \
	VMOVUPS (R14), Y0 \
	VMOVUPS (R14)(R9*1), Y1 \
	VMOVUPS (R14)(R9*2), Y2 \
	VMOVUPS (R14)(R10*1), Y3 \
	VSUBPS Y2, Y0, h0 \
	VADDPS Y2, Y1, h1 \
	VSUBPS Y1, Y2, h2 \
	VSUBPS Y3, Y1, h3

// One column of the input transform, Bᵀ on a..d, stored at positions
// j, 4+j, 8+j, 12+j from R15; a..d are overwritten.
#define INCOL(a, b, c, d) \
	VSUBPS c, a, a \
	VMOVUPS a, (R15) \
	VSUBPS d, b, d \
	VMOVUPS d, (R15)(R13*1) \
	VADDPS c, b, a \
	VMOVUPS a, (R15)(R12*1) \
	VSUBPS b, c, c \
	VMOVUPS c, (R15)(R12*2)

// func winoInAVX(src *float32, stride, c, n int, v *float32, pos int)
TEXT ·winoInAVX(SB), NOSPLIT, $0-48
	MOVQ src+0(FP), SI
	MOVQ stride+8(FP), R8
	SHLQ $2, R8
	MOVQ c+16(FP), R9
	SHLQ $2, R9
	LEAQ (R9)(R9*2), R10
	MOVQ n+24(FP), CX
	MOVQ v+32(FP), DI
	MOVQ pos+40(FP), R11
	SHLQ $2, R11
	LEAQ (R11*4), R12
	LEAQ (R12)(R12*2), R13
itile:
	MOVQ SI, AX
	MOVQ DI, BX
	MOVQ R9, DX
ich:
	MOVQ AX, R14
	INROW(Y4, Y5, Y6, Y7)
	ADDQ R8, R14
	INROW(Y8, Y9, Y10, Y11)
	ADDQ R8, R14
	INROW(Y12, Y13, Y14, Y15)
	ADDQ R8, R14
	// The last row in Y1 (h0), Y0 (h1), Y2 (h2), Y3 (h3): no scratch left.
	VMOVUPS (R14)(R9*1), Y1
	VSUBPS (R14)(R10*1), Y1, Y3
	VMOVUPS (R14)(R9*2), Y2
	VADDPS Y2, Y1, Y0
	VSUBPS Y1, Y2, Y2
	VMOVUPS (R14), Y1
	VSUBPS (R14)(R9*2), Y1, Y1
	MOVQ BX, R15
	INCOL(Y4, Y8, Y12, Y1)
	ADDQ R11, R15
	INCOL(Y5, Y9, Y13, Y0)
	ADDQ R11, R15
	INCOL(Y6, Y10, Y14, Y2)
	ADDQ R11, R15
	INCOL(Y7, Y11, Y15, Y3)
	ADDQ $32, AX
	ADDQ $32, BX
	SUBQ $32, DX
	JNE ich
	LEAQ (SI)(R9*2), SI
	ADDQ R9, DI
	DECQ CX
	JNE itile
	VZEROUPPER
	RET

// One row of the output transform: Aᵀ on positions 0..3 from R14 into s0,
// s1 (Y0, Y1 scratch).
#define OUTROW(s0, s1) \
	VMOVUPS (R14)(R11*1), Y0 \
	VMOVUPS (R14)(R11*2), Y1 \
	VMOVUPS (R14), s0 \
	VADDPS Y0, s0, s0 \
	VADDPS Y1, s0, s0 \
	VSUBPS Y1, Y0, s1 \
	VSUBPS (R14)(R13*1), s1, s1

// func winoOutAVX(m *float32, pos, c, n int, dst *float32, stride int)
TEXT ·winoOutAVX(SB), NOSPLIT, $0-48
	MOVQ m+0(FP), SI
	MOVQ pos+8(FP), R11
	SHLQ $2, R11
	LEAQ (R11*4), R12
	LEAQ (R11)(R11*2), R13
	MOVQ c+16(FP), R9
	SHLQ $2, R9
	MOVQ n+24(FP), CX
	MOVQ dst+32(FP), DI
	MOVQ stride+40(FP), R8
	SHLQ $2, R8
otile:
	MOVQ SI, AX
	MOVQ DI, BX
	MOVQ R9, DX
och:
	MOVQ AX, R14
	OUTROW(Y2, Y3)
	ADDQ R12, R14
	OUTROW(Y4, Y5)
	ADDQ R12, R14
	OUTROW(Y6, Y7)
	ADDQ R12, R14
	OUTROW(Y8, Y9)
	LEAQ (BX)(R8*1), R15
	VADDPS Y4, Y2, Y10
	VADDPS Y6, Y10, Y10
	VMOVUPS Y10, (BX)
	VSUBPS Y6, Y4, Y11
	VSUBPS Y8, Y11, Y11
	VMOVUPS Y11, (R15)
	VADDPS Y5, Y3, Y10
	VADDPS Y7, Y10, Y10
	VMOVUPS Y10, (BX)(R9*1)
	VSUBPS Y7, Y5, Y11
	VSUBPS Y9, Y11, Y11
	VMOVUPS Y11, (R15)(R9*1)
	ADDQ $32, AX
	ADDQ $32, BX
	SUBQ $32, DX
	JNE och
	ADDQ R9, SI
	LEAQ (DI)(R9*2), DI
	DECQ CX
	JNE otile
	VZEROUPPER
	RET

// One column of the output gradient's transform, A on x, y (Y15 zero),
// stored at positions j, 4+j, 8+j, 12+j from R15.
#define DZCOL(x, y) \
	VMOVUPS x, (R15) \
	VADDPS y, x, Y10 \
	VMOVUPS Y10, (R15)(R12*1) \
	VSUBPS y, x, Y11 \
	VMOVUPS Y11, (R15)(R12*2) \
	VSUBPS y, Y15, Y10 \
	VMOVUPS Y10, (R15)(R13*1)

// func winoGradOutAVX(dz *float32, stride, c, n int, m *float32, pos int)
TEXT ·winoGradOutAVX(SB), NOSPLIT, $0-48
	MOVQ dz+0(FP), SI
	MOVQ stride+8(FP), R8
	SHLQ $2, R8
	MOVQ c+16(FP), R9
	SHLQ $2, R9
	MOVQ n+24(FP), CX
	MOVQ m+32(FP), DI
	MOVQ pos+40(FP), R11
	SHLQ $2, R11
	LEAQ (R11*4), R12
	LEAQ (R12)(R12*2), R13
	VXORPS Y15, Y15, Y15
gtile:
	MOVQ SI, AX
	MOVQ DI, BX
	MOVQ R9, DX
gch:
	LEAQ (AX)(R8*1), R14
	VMOVUPS (AX), Y0
	VMOVUPS (AX)(R9*1), Y1
	VMOVUPS (R14), Y2
	VMOVUPS (R14)(R9*1), Y3
	VADDPS Y1, Y0, Y4
	VSUBPS Y1, Y0, Y5
	VSUBPS Y1, Y15, Y6
	VADDPS Y3, Y2, Y7
	VSUBPS Y3, Y2, Y8
	VSUBPS Y3, Y15, Y9
	MOVQ BX, R15
	DZCOL(Y0, Y2)
	ADDQ R11, R15
	DZCOL(Y4, Y7)
	ADDQ R11, R15
	DZCOL(Y5, Y8)
	ADDQ R11, R15
	DZCOL(Y6, Y9)
	ADDQ $32, AX
	ADDQ $32, BX
	SUBQ $32, DX
	JNE gch
	LEAQ (SI)(R9*2), SI
	ADDQ R9, DI
	DECQ CX
	JNE gtile
	VZEROUPPER
	RET

// One row of the input gradient's transform: B on positions 0..3 from R14
// gives (a, o1, o2, -d); o1 and o2 here (Y0 scratch), a and d are read
// again from q.
#define QROW(o1, o2) \
	VMOVUPS (R14)(R11*1), Y0 \
	VSUBPS (R14)(R11*2), Y0, o1 \
	VADDPS (R14)(R13*1), o1, o1 \
	VADDPS (R14)(R11*2), Y0, o2 \
	VSUBPS (R14), o2, o2

// One column of it, B on a..d, added into the pixels of rows 0..3 from
// R15 (Y0..Y2 scratch).
#define QCOLADD(a, b, c, d) \
	VADDPS (R15), a, Y0 \
	VMOVUPS Y0, (R15) \
	VSUBPS c, b, Y0 \
	VADDPS d, Y0, Y0 \
	VADDPS (R15)(R8*1), Y0, Y0 \
	VMOVUPS Y0, (R15)(R8*1) \
	VADDPS c, b, Y1 \
	VSUBPS a, Y1, Y1 \
	VADDPS (R15)(R8*2), Y1, Y1 \
	VMOVUPS Y1, (R15)(R8*2) \
	VMOVUPS (R15)(R10*1), Y2 \
	VSUBPS d, Y2, Y2 \
	VMOVUPS Y2, (R15)(R10*1)

// The same for a column of negated values -a..-d, given a..d.
#define QCOLSUB(a, b, c, d) \
	VMOVUPS (R15), Y0 \
	VSUBPS a, Y0, Y0 \
	VMOVUPS Y0, (R15) \
	VSUBPS c, b, Y0 \
	VADDPS d, Y0, Y0 \
	VMOVUPS (R15)(R8*1), Y1 \
	VSUBPS Y0, Y1, Y1 \
	VMOVUPS Y1, (R15)(R8*1) \
	VADDPS c, b, Y0 \
	VSUBPS a, Y0, Y0 \
	VMOVUPS (R15)(R8*2), Y1 \
	VSUBPS Y0, Y1, Y1 \
	VMOVUPS Y1, (R15)(R8*2) \
	VADDPS (R15)(R10*1), d, Y0 \
	VMOVUPS Y0, (R15)(R10*1)

// func winoGradInAVX(q *float32, pos, c, n int, dst *float32, stride int)
TEXT ·winoGradInAVX(SB), NOSPLIT, $0-48
	MOVQ q+0(FP), SI
	MOVQ pos+8(FP), R11
	SHLQ $2, R11
	LEAQ (R11*4), R12
	LEAQ (R11)(R11*2), R13
	MOVQ c+16(FP), R9
	SHLQ $2, R9
	MOVQ n+24(FP), CX
	MOVQ dst+32(FP), DI
	MOVQ stride+40(FP), R8
	SHLQ $2, R8
	LEAQ (R8)(R8*2), R10
qtile:
	MOVQ SI, AX
	MOVQ DI, BX
	MOVQ R9, DX
qch:
	MOVQ AX, R14
	QROW(Y4, Y5)
	ADDQ R12, R14
	QROW(Y6, Y7)
	ADDQ R12, R14
	QROW(Y8, Y9)
	ADDQ R12, R14
	QROW(Y10, Y11)
	// Column 0: positions 0, 4, 8, 12, as read.
	VMOVUPS (AX), Y12
	VMOVUPS (AX)(R12*1), Y13
	VMOVUPS (AX)(R12*2), Y14
	LEAQ (AX)(R12*2), R14
	VMOVUPS (R14)(R12*1), Y15
	MOVQ BX, R15
	QCOLADD(Y12, Y13, Y14, Y15)
	ADDQ R9, R15
	QCOLADD(Y4, Y6, Y8, Y10)
	ADDQ R9, R15
	QCOLADD(Y5, Y7, Y9, Y11)
	ADDQ R9, R15
	// Column 3: positions 3, 7, 11, 15, negated.
	LEAQ (AX)(R13*1), R14
	VMOVUPS (R14), Y12
	VMOVUPS (R14)(R12*1), Y13
	VMOVUPS (R14)(R12*2), Y14
	LEAQ (R14)(R12*2), R14
	VMOVUPS (R14)(R12*1), Y15
	QCOLSUB(Y12, Y13, Y14, Y15)
	ADDQ $32, AX
	ADDQ $32, BX
	SUBQ $32, DX
	JNE qch
	ADDQ R9, SI
	LEAQ (DI)(R9*2), DI
	DECQ CX
	JNE qtile
	VZEROUPPER
	RET
