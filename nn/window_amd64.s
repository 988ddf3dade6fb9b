//go:build !purego

#include "textflag.h"

// AVX2 loops for the 2×2 window operations of one row of output pixels
// (see window_amd64.go): n pixels of c channels (c a multiple of 8), the
// input's two rows at x and x + stride floats. Each loop runs over the
// row's values 8 at a time, a pixel's channels after its neighbour's.

// func maxPool2AVX(x *float32, stride, c, n int, y *float32)
TEXT ·maxPool2AVX(SB), NOSPLIT, $0-40
	MOVQ x+0(FP), SI
	MOVQ stride+8(FP), R8
	SHLQ $2, R8
	MOVQ c+16(FP), R9
	SHLQ $2, R9
	MOVQ n+24(FP), BX
	MOVQ y+32(FP), DI
	LEAQ (SI)(R8*1), R10 // the second row
	TESTQ BX, BX
	JE   mpdone
mppix:
	MOVQ R9, CX
mpvec:
	// y = first; then y = v > y ? v : y for v in window order, as the
	// portable loop does (NaNs and signed zeros included).
	VMOVUPS (SI), Y0
	VMOVUPS (SI)(R9*1), Y1
	VMAXPS  Y0, Y1, Y0
	VMOVUPS (R10), Y1
	VMAXPS  Y0, Y1, Y0
	VMOVUPS (R10)(R9*1), Y1
	VMAXPS  Y0, Y1, Y0
	VMOVUPS Y0, (DI)
	ADDQ $32, SI
	ADDQ $32, R10
	ADDQ $32, DI
	SUBQ $32, CX
	JNE  mpvec
	ADDQ R9, SI // past the pixel's right neighbour
	ADDQ R9, R10
	DECQ BX
	JNE  mppix
mpdone:
	VZEROUPPER
	RET

// The gradient of the window at (SI, R10) with maximum Y0 and gradient Y1,
// written to (DI, R11): dy to the first input equal to the maximum, 0 to
// the others (0 + dy, so that -0 becomes +0 as in dx = 0; dx += dy).
// Y2 holds the inputs already taken, Y15 zero.
#define POOLGRAD(src, dst) \
	VCMPPS  $0, src, Y0, Y3 \
	VANDNPS Y3, Y2, Y3 \
	VORPS   Y3, Y2, Y2 \
	VANDPS  Y1, Y3, Y3 \
	VADDPS  Y15, Y3, Y3 \
	VMOVUPS Y3, dst

// func maxPoolGrad2AVX(x, y, dy *float32, stride, c, n int, dx *float32)
TEXT ·maxPoolGrad2AVX(SB), NOSPLIT, $0-56
	MOVQ x+0(FP), SI
	MOVQ y+8(FP), AX
	MOVQ dy+16(FP), DX
	MOVQ stride+24(FP), R8
	SHLQ $2, R8
	MOVQ c+32(FP), R9
	SHLQ $2, R9
	MOVQ n+40(FP), BX
	MOVQ dx+48(FP), DI
	LEAQ (SI)(R8*1), R10
	LEAQ (DI)(R8*1), R11
	VXORPS Y15, Y15, Y15
	TESTQ BX, BX
	JE   mgdone
mgpix:
	MOVQ R9, CX
mgvec:
	VMOVUPS (AX), Y0
	VMOVUPS (DX), Y1
	VXORPS  Y2, Y2, Y2
	POOLGRAD((SI), (DI))
	POOLGRAD((SI)(R9*1), (DI)(R9*1))
	POOLGRAD((R10), (R11))
	POOLGRAD((R10)(R9*1), (R11)(R9*1))
	ADDQ $32, SI
	ADDQ $32, R10
	ADDQ $32, DI
	ADDQ $32, R11
	ADDQ $32, AX
	ADDQ $32, DX
	SUBQ $32, CX
	JNE  mgvec
	ADDQ R9, SI
	ADDQ R9, R10
	ADDQ R9, DI
	ADDQ R9, R11
	DECQ BX
	JNE  mgpix
mgdone:
	VZEROUPPER
	RET

// func upsample2AVX(x *float32, c, n int, y *float32, stride int)
TEXT ·upsample2AVX(SB), NOSPLIT, $0-40
	MOVQ x+0(FP), SI
	MOVQ c+8(FP), R9
	SHLQ $2, R9
	MOVQ n+16(FP), BX
	MOVQ y+24(FP), DI
	MOVQ stride+32(FP), R8
	SHLQ $2, R8
	LEAQ (DI)(R8*1), R11
	TESTQ BX, BX
	JE   updone
uppix:
	MOVQ R9, CX
upvec:
	VMOVUPS (SI), Y0
	VMOVUPS Y0, (DI)
	VMOVUPS Y0, (DI)(R9*1)
	VMOVUPS Y0, (R11)
	VMOVUPS Y0, (R11)(R9*1)
	ADDQ $32, SI
	ADDQ $32, DI
	ADDQ $32, R11
	SUBQ $32, CX
	JNE  upvec
	ADDQ R9, DI
	ADDQ R9, R11
	DECQ BX
	JNE  uppix
updone:
	VZEROUPPER
	RET

// func upsampleGrad2AVX(dy *float32, stride, c, n int, dx *float32)
TEXT ·upsampleGrad2AVX(SB), NOSPLIT, $0-40
	MOVQ dy+0(FP), SI
	MOVQ stride+8(FP), R8
	SHLQ $2, R8
	MOVQ c+16(FP), R9
	SHLQ $2, R9
	MOVQ n+24(FP), BX
	MOVQ dx+32(FP), DI
	LEAQ (SI)(R8*1), R10
	VXORPS Y15, Y15, Y15
	TESTQ BX, BX
	JE   ugdone
ugpix:
	MOVQ R9, CX
ugvec:
	// ((0 + a) + b) + c) + d, the portable loop's order.
	VADDPS  (SI), Y15, Y0
	VADDPS  (SI)(R9*1), Y0, Y0
	VADDPS  (R10), Y0, Y0
	VADDPS  (R10)(R9*1), Y0, Y0
	VMOVUPS Y0, (DI)
	ADDQ $32, SI
	ADDQ $32, R10
	ADDQ $32, DI
	SUBQ $32, CX
	JNE  ugvec
	ADDQ R9, SI
	ADDQ R9, R10
	DECQ BX
	JNE  ugpix
ugdone:
	VZEROUPPER
	RET
