//go:build !purego

#include "textflag.h"

// func packAT8AVX(a *float32, lda, mc, kc int, dst *float32, ldd int)
//
// The transpose of the kc×mc block at a (rows lda floats apart) into dst
// (rows ldd floats apart), dst[i·ldd + p] = a[p·lda + i], in 8×8 blocks:
// mc and kc are multiples of 8.
TEXT ·packAT8AVX(SB), NOSPLIT, $0-48
	MOVQ a+0(FP), SI
	MOVQ lda+8(FP), R8
	SHLQ $2, R8
	MOVQ mc+16(FP), R12
	MOVQ kc+24(FP), R13
	MOVQ dst+32(FP), DI
	MOVQ ldd+40(FP), R9
	SHLQ $2, R9
	LEAQ (R8)(R8*2), R10 // 3 rows of a
	LEAQ (R9)(R9*2), R11 // 3 rows of dst
	MOVQ R12, DX
colblock: // 8 columns of a, 8 rows of dst
	MOVQ SI, AX
	MOVQ DI, BX
	MOVQ R13, CX
rowblock:
	VMOVUPS (AX), Y0
	VMOVUPS (AX)(R8*1), Y1
	VMOVUPS (AX)(R8*2), Y2
	VMOVUPS (AX)(R10*1), Y3
	LEAQ    (AX)(R8*4), R14
	VMOVUPS (R14), Y4
	VMOVUPS (R14)(R8*1), Y5
	VMOVUPS (R14)(R8*2), Y6
	VMOVUPS (R14)(R10*1), Y7
	VUNPCKLPS Y1, Y0, Y8
	VUNPCKHPS Y1, Y0, Y9
	VUNPCKLPS Y3, Y2, Y10
	VUNPCKHPS Y3, Y2, Y11
	VUNPCKLPS Y5, Y4, Y12
	VUNPCKHPS Y5, Y4, Y13
	VUNPCKLPS Y7, Y6, Y14
	VUNPCKHPS Y7, Y6, Y15
	VSHUFPS $0x44, Y10, Y8, Y0
	VSHUFPS $0xEE, Y10, Y8, Y1
	VSHUFPS $0x44, Y11, Y9, Y2
	VSHUFPS $0xEE, Y11, Y9, Y3
	VSHUFPS $0x44, Y14, Y12, Y4
	VSHUFPS $0xEE, Y14, Y12, Y5
	VSHUFPS $0x44, Y15, Y13, Y6
	VSHUFPS $0xEE, Y15, Y13, Y7
	VPERM2F128 $0x20, Y4, Y0, Y8
	VPERM2F128 $0x20, Y5, Y1, Y9
	VPERM2F128 $0x20, Y6, Y2, Y10
	VPERM2F128 $0x20, Y7, Y3, Y11
	VPERM2F128 $0x31, Y4, Y0, Y12
	VPERM2F128 $0x31, Y5, Y1, Y13
	VPERM2F128 $0x31, Y6, Y2, Y14
	VPERM2F128 $0x31, Y7, Y3, Y15
	VMOVUPS Y8, (BX)
	VMOVUPS Y9, (BX)(R9*1)
	VMOVUPS Y10, (BX)(R9*2)
	VMOVUPS Y11, (BX)(R11*1)
	LEAQ    (BX)(R9*4), R14
	VMOVUPS Y12, (R14)
	VMOVUPS Y13, (R14)(R9*1)
	VMOVUPS Y14, (R14)(R9*2)
	VMOVUPS Y15, (R14)(R11*1)
	LEAQ (AX)(R8*8), AX
	ADDQ $32, BX
	SUBQ $8, CX
	JNE  rowblock
	ADDQ $32, SI
	LEAQ (DI)(R9*8), DI
	SUBQ $8, DX
	JNE  colblock
	VZEROUPPER
	RET
