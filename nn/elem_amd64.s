//go:build !purego

#include "textflag.h"

// AVX2 loops (and one AVX-512 loop) for the element-wise operations of a
// training step (see kernel_avx.go). Each does the portable code's float32
// operations in its order, without fused multiply-adds, so that it gives
// the same bits; the one exception is SigmoidBCE's loss, summed in float64
// lanes. The callers pass lengths that are a multiple of 8 (32 for the
// AVX-512 loop) and do the rest with the portable code.

// Constants, broadcast where used.
// log2(e)
#define LOG2E 0
// 0.5
#define HALF 4
// ln2Hi
#define LN2HI 8
// ln2Lo
#define LN2LO 12
// expf's polynomial
#define E0 16
#define E1 20
#define E2 24
#define E3 28
#define E4 32
#define E5 36
// 1
#define ONE 40
// 2
#define TWO 44
// -110: x is clamped here, keeping 2**n's exponent in range; below
// expfLo expf gives 0, and so does its formula down to -110
#define XMIN 48
// 2**-64
#define TWOM64 52
// bceLogitLo
#define ZLO 56
// bceLogitHi
#define ZHI 60
// 1/13, log1pSmall's series
#define L13 64
// 1/11
#define L11 68
// 1/9
#define L9 72
// 1/7
#define L7 76
// 1/5
#define L5 80
// 1/3
#define L3 84
// 255
#define C255 88
// the sign bit
#define SIGN 92
// 127+64, 2**(n+64)'s exponent bias
#define BIAS191 96

DATA elemc<>+0(SB)/4, $0x3fb8aa3b
DATA elemc<>+4(SB)/4, $0x3f000000
DATA elemc<>+8(SB)/4, $0x3f318000
DATA elemc<>+12(SB)/4, $0xb95e8083
DATA elemc<>+16(SB)/4, $0x39506967
DATA elemc<>+20(SB)/4, $0x3ab743ce
DATA elemc<>+24(SB)/4, $0x3c088908
DATA elemc<>+28(SB)/4, $0x3d2aa9c1
DATA elemc<>+32(SB)/4, $0x3e2aaaaa
DATA elemc<>+36(SB)/4, $0x3f000000
DATA elemc<>+40(SB)/4, $0x3f800000
DATA elemc<>+44(SB)/4, $0x40000000
DATA elemc<>+48(SB)/4, $0xc2dc0000
DATA elemc<>+52(SB)/4, $0x1f800000
DATA elemc<>+56(SB)/4, $0xc180f1dc
DATA elemc<>+60(SB)/4, $0x417f1402
DATA elemc<>+64(SB)/4, $0x3d9d89d9
DATA elemc<>+68(SB)/4, $0x3dba2e8c
DATA elemc<>+72(SB)/4, $0x3de38e39
DATA elemc<>+76(SB)/4, $0x3e124925
DATA elemc<>+80(SB)/4, $0x3e4ccccd
DATA elemc<>+84(SB)/4, $0x3eaaaaab
DATA elemc<>+88(SB)/4, $0x437f0000
DATA elemc<>+92(SB)/4, $0x80000000
DATA elemc<>+96(SB)/4, $0x000000bf
GLOBL elemc<>(SB), RODATA|NOPTR, $100

#define K(off, reg) VBROADCASTSS elemc<>+off(SB), reg

// func sigmoidBCEAVX2(z, bias, y, dz []float32, scale float32) float64
// sigmoidBCE over len(z) values, with bias as long as z.
TEXT ·sigmoidBCEAVX2(SB), NOSPLIT, $0-112
	MOVQ z_base+0(FP), SI
	MOVQ z_len+8(FP), CX
	MOVQ bias_base+24(FP), R8
	MOVQ y_base+48(FP), R9
	MOVQ dz_base+72(FP), DI
	VBROADCASTSS scale+96(FP), Y15
	VXORPS Y11, Y11, Y11
	K(ONE, Y12)
	VXORPD Y13, Y13, Y13
	VXORPD Y14, Y14, Y14
	SHRQ $3, CX
	JZ sbdone
sbloop:
	VMOVUPS (SI), Y0
	VADDPS (R8), Y0, Y0
	// e = expf(x), x = -|v| (clamped at XMIN; a NaN stays).
	K(SIGN, Y10)
	VORPS Y10, Y0, Y1
	K(XMIN, Y10)
	VMAXPS Y1, Y10, Y1
	K(LOG2E, Y10)
	VMULPS Y10, Y1, Y2
	K(HALF, Y10)
	VADDPS Y10, Y2, Y2
	VROUNDPS $1, Y2, Y2
	VCVTPS2DQ Y2, Y3
	K(LN2HI, Y10)
	VMULPS Y10, Y2, Y4
	VSUBPS Y4, Y1, Y1
	K(LN2LO, Y10)
	VMULPS Y10, Y2, Y4
	VSUBPS Y4, Y1, Y1
	VMULPS Y1, Y1, Y4
	K(E0, Y5)
	VMULPS Y1, Y5, Y5
	K(E1, Y10)
	VADDPS Y10, Y5, Y5
	VMULPS Y1, Y5, Y5
	K(E2, Y10)
	VADDPS Y10, Y5, Y5
	VMULPS Y1, Y5, Y5
	K(E3, Y10)
	VADDPS Y10, Y5, Y5
	VMULPS Y1, Y5, Y5
	K(E4, Y10)
	VADDPS Y10, Y5, Y5
	VMULPS Y1, Y5, Y5
	K(E5, Y10)
	VADDPS Y10, Y5, Y5
	VMULPS Y4, Y5, Y5
	VADDPS Y1, Y5, Y5
	VADDPS Y12, Y5, Y5
	// Times 2**n in two steps, as expf does below n = -125 (the
	// first is exact, so it is the same product above).
	VPBROADCASTD elemc<>+BIAS191(SB), Y10
	VPADDD Y10, Y3, Y3
	VPSLLD $23, Y3, Y3
	VMULPS Y3, Y5, Y5
	K(TWOM64, Y10)
	VMULPS Y10, Y5, Y5
	// p = 1/(1+e), or e/(1+e) where v is negative.
	VADDPS Y12, Y5, Y6
	VDIVPS Y6, Y12, Y6
	VMULPS Y6, Y5, Y7
	VBLENDVPS Y0, Y7, Y6, Y7
	VMOVUPS Y7, (SI)
	VSUBPS (R9), Y7, Y8
	VMULPS Y15, Y8, Y8
	VMOVUPS Y8, (DI)
	// The loss: log1pSmall(e) + max(zc, 0) - y*zc.
	K(ZLO, Y10)
	VMAXPS Y10, Y0, Y8
	K(ZHI, Y10)
	VMINPS Y10, Y8, Y8
	VMAXPS Y11, Y8, Y9
	K(TWO, Y10)
	VADDPS Y10, Y5, Y4
	VDIVPS Y4, Y5, Y4
	VMULPS Y4, Y4, Y3
	K(L13, Y1)
	VMULPS Y3, Y1, Y1
	K(L11, Y10)
	VADDPS Y10, Y1, Y1
	VMULPS Y3, Y1, Y1
	K(L9, Y10)
	VADDPS Y10, Y1, Y1
	VMULPS Y3, Y1, Y1
	K(L7, Y10)
	VADDPS Y10, Y1, Y1
	VMULPS Y3, Y1, Y1
	K(L5, Y10)
	VADDPS Y10, Y1, Y1
	VMULPS Y3, Y1, Y1
	K(L3, Y10)
	VADDPS Y10, Y1, Y1
	VMULPS Y3, Y1, Y1
	VADDPS Y12, Y1, Y1
	VADDPS Y4, Y4, Y4
	VMULPS Y1, Y4, Y4
	VADDPS Y9, Y4, Y4
	VMULPS (R9), Y8, Y9
	VSUBPS Y9, Y4, Y4
	VCVTPS2PD X4, Y9
	VADDPD Y9, Y13, Y13
	VEXTRACTF128 $1, Y4, X4
	VCVTPS2PD X4, Y9
	VADDPD Y9, Y14, Y14
	ADDQ $32, SI
	ADDQ $32, R8
	ADDQ $32, R9
	ADDQ $32, DI
	DECQ CX
	JNZ sbloop
sbdone:
	VADDPD Y14, Y13, Y13
	VEXTRACTF128 $1, Y13, X14
	VADDPD X14, X13, X13
	VHADDPD X13, X13, X13
	VZEROUPPER
	MOVSD X13, ret+104(FP)
	RET

// func biasReLUAVX2(y, bias []float32)
// y = relu(y + bias) over len(y), with bias as long as y; relu clears a
// value whose sign bit is set, as the portable relu does.
TEXT ·biasReLUAVX2(SB), NOSPLIT, $0-48
	MOVQ y_base+0(FP), SI
	MOVQ y_len+8(FP), CX
	MOVQ bias_base+24(FP), R8
	SHRQ $3, CX
	JZ brdone
brloop:
	VMOVUPS (SI), Y0
	VADDPS (R8), Y0, Y0
	VPSRAD $31, Y0, Y1
	VPANDN Y0, Y1, Y0
	VMOVUPS Y0, (SI)
	ADDQ $32, SI
	ADDQ $32, R8
	DECQ CX
	JNZ brloop
brdone:
	VZEROUPPER
	RET

// func reluGradAVX2(y, dy []float32)
// dy &= positive(y) over len(y).
TEXT ·reluGradAVX2(SB), NOSPLIT, $0-48
	MOVQ y_base+0(FP), SI
	MOVQ y_len+8(FP), CX
	MOVQ dy_base+24(FP), DI
	VPXOR Y2, Y2, Y2
	SHRQ $3, CX
	JZ rgdone
rgloop:
	VPSUBD (SI), Y2, Y0
	VPSRAD $31, Y0, Y0
	VPAND (DI), Y0, Y0
	VMOVUPS Y0, (DI)
	ADDQ $32, SI
	ADDQ $32, DI
	DECQ CX
	JNZ rgloop
rgdone:
	VZEROUPPER
	RET

// func colSumsAVX2(dst, m []float32, rows int)
// Adds the column sums of the rows×len(dst) matrix m into dst (len(dst)
// a multiple of 8), row after row as the portable loop does, eight columns
// at a time.
TEXT ·colSumsAVX2(SB), NOSPLIT, $0-56
	MOVQ dst_base+0(FP), DI
	MOVQ dst_len+8(FP), DX
	MOVQ m_base+24(FP), SI
	MOVQ rows+48(FP), R9
	MOVQ DX, R8
	SHLQ $2, R8
	SHRQ $3, DX
	JZ csdone
	TESTQ R9, R9
	JZ csdone
csblock:
	VMOVUPS (DI), Y0
	MOVQ SI, R10
	MOVQ R9, CX
csrow:
	VADDPS (R10), Y0, Y0
	ADDQ R8, R10
	DECQ CX
	JNZ csrow
	VMOVUPS Y0, (DI)
	ADDQ $32, DI
	ADDQ $32, SI
	DECQ DX
	JNZ csblock
csdone:
	VZEROUPPER
	RET

// func adamAVX2(w, g, m, v []float32, om1, om2, alpha, eps float32)
// adamStep over len(w).
TEXT ·adamAVX2(SB), NOSPLIT, $0-112
	MOVQ w_base+0(FP), DI
	MOVQ w_len+8(FP), CX
	MOVQ g_base+24(FP), SI
	MOVQ m_base+48(FP), R8
	MOVQ v_base+72(FP), R9
	VBROADCASTSS om1+96(FP), Y12
	VBROADCASTSS om2+100(FP), Y13
	VBROADCASTSS alpha+104(FP), Y14
	VBROADCASTSS eps+108(FP), Y15
	SHRQ $3, CX
	JZ addone
adloop:
	VMOVUPS (SI), Y0
	VMOVUPS (R8), Y1
	VSUBPS Y1, Y0, Y2
	VMULPS Y12, Y2, Y2
	VADDPS Y2, Y1, Y1
	VMOVUPS Y1, (R8)
	VMULPS Y0, Y0, Y3
	VMOVUPS (R9), Y4
	VSUBPS Y4, Y3, Y3
	VMULPS Y13, Y3, Y3
	VADDPS Y3, Y4, Y4
	VMOVUPS Y4, (R9)
	VSQRTPS Y4, Y5
	VADDPS Y15, Y5, Y5
	VMULPS Y1, Y14, Y6
	VDIVPS Y5, Y6, Y6
	VMOVUPS (DI), Y7
	VSUBPS Y6, Y7, Y7
	VMOVUPS Y7, (DI)
	ADDQ $32, SI
	ADDQ $32, R8
	ADDQ $32, R9
	ADDQ $32, DI
	DECQ CX
	JNZ adloop
addone:
	VZEROUPPER
	RET

// func toFloatAVX2(dst []float32, src []uint8)
// dst[i] = float32(src[i]) / 255 over len(src).
TEXT ·toFloatAVX2(SB), NOSPLIT, $0-48
	MOVQ dst_base+0(FP), DI
	MOVQ src_base+24(FP), SI
	MOVQ src_len+32(FP), CX
	K(C255, Y15)
	SHRQ $3, CX
	JZ tfdone
tfloop:
	VPMOVZXBD (SI), Y0
	VCVTDQ2PS Y0, Y0
	VDIVPS Y15, Y0, Y0
	VMOVUPS Y0, (DI)
	ADDQ $8, SI
	ADDQ $32, DI
	DECQ CX
	JNZ tfloop
tfdone:
	VZEROUPPER
	RET

// func addAVX2(dst, src []float32)
// dst += src over len(src).
TEXT ·addAVX2(SB), NOSPLIT, $0-48
	MOVQ dst_base+0(FP), DI
	MOVQ src_base+24(FP), SI
	MOVQ src_len+32(FP), CX
	SHRQ $3, CX
	JZ avdone
avloop:
	VMOVUPS (DI), Y0
	VADDPS (SI), Y0, Y0
	VMOVUPS Y0, (DI)
	ADDQ $32, SI
	ADDQ $32, DI
	DECQ CX
	JNZ avloop
avdone:
	VZEROUPPER
	RET

// func finiteAVX2(x []float32) bool
// Whether every value of x (len a multiple of 8) is finite: the sum of
// x*0 stays 0 in every lane unless one is a NaN or an infinity.
TEXT ·finiteAVX2(SB), NOSPLIT, $0-25
	MOVQ x_base+0(FP), SI
	MOVQ x_len+8(FP), CX
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	SHRQ $3, CX
	JZ fidone
filoop:
	VMULPS (SI), Y0, Y2
	VADDPS Y2, Y1, Y1
	ADDQ $32, SI
	DECQ CX
	JNZ filoop
fidone:
	VCMPPS $0, Y0, Y1, Y1
	VMOVMSKPS Y1, AX
	CMPL AX, $0xff
	SETEQ ret+24(FP)
	VZEROUPPER
	RET

// B(off) is a constant broadcast from memory, for the AVX-512 loop.
#define B(off) elemc<>+off(SB)

// SBCE16 is sigmoidBCE for the 16 values at byte offset off, in the
// registers given (v, x, f, t, e, s, d: scratch; vy and ty name v's and
// t's lower halves); the loss is added to acc0 and acc1. Z20 holds 0, Z21 1, Z22 XMIN, Z23 scale.
#define SBCE16(off, v, vy, x, f, t, ty, e, s, d, acc0, acc1) \
	VMOVUPS off(SI), v \
	VADDPS off(R8), v, v \
	VPORD.BCST B(SIGN), v, x \
	VMAXPS x, Z22, x \
	VMULPS.BCST B(LOG2E), x, f \
	VADDPS.BCST B(HALF), f, f \
	VRNDSCALEPS $9, f, f \
	VMULPS.BCST B(LN2HI), f, t \
	VSUBPS t, x, x \
	VMULPS.BCST B(LN2LO), f, t \
	VSUBPS t, x, x \
	VMULPS x, x, t \
	VMULPS.BCST B(E0), x, e \
	VADDPS.BCST B(E1), e, e \
	VMULPS x, e, e \
	VADDPS.BCST B(E2), e, e \
	VMULPS x, e, e \
	VADDPS.BCST B(E3), e, e \
	VMULPS x, e, e \
	VADDPS.BCST B(E4), e, e \
	VMULPS x, e, e \
	VADDPS.BCST B(E5), e, e \
	VMULPS t, e, e \
	VADDPS x, e, e \
	VADDPS Z21, e, e \
	VSCALEFPS f, e, e \
	VADDPS Z21, e, s \
	VDIVPS s, Z21, s \
	VPTESTMD.BCST B(SIGN), v, K1 \
	VMULPS s, e, K1, s \
	VMOVUPS s, off(SI) \
	VSUBPS off(R9), s, d \
	VMULPS Z23, d, d \
	VMOVUPS d, off(DI) \
	VMAXPS.BCST B(ZLO), v, v \
	VMINPS.BCST B(ZHI), v, v \
	VMAXPS Z20, v, d \
	VADDPS.BCST B(TWO), e, t \
	VDIVPS t, e, t \
	VMULPS t, t, f \
	VMULPS.BCST B(L13), f, x \
	VADDPS.BCST B(L11), x, x \
	VMULPS f, x, x \
	VADDPS.BCST B(L9), x, x \
	VMULPS f, x, x \
	VADDPS.BCST B(L7), x, x \
	VMULPS f, x, x \
	VADDPS.BCST B(L5), x, x \
	VMULPS f, x, x \
	VADDPS.BCST B(L3), x, x \
	VMULPS f, x, x \
	VADDPS Z21, x, x \
	VADDPS t, t, t \
	VMULPS x, t, t \
	VADDPS d, t, t \
	VMULPS off(R9), v, v \
	VSUBPS v, t, t \
	VCVTPS2PD ty, acc0 \
	VEXTRACTF64X4 $1, t, ty \
	VCVTPS2PD ty, v \
	VADDPD v, acc1, acc1

// func sigmoidBCEAVX512(z, bias, y, dz []float32, scale float32) float64
// sigmoidBCEAVX2 for AVX-512F, len(z) a multiple of 32: two independent
// streams of 16 values, so that one's long chain of operations overlaps
// the other's.
TEXT ·sigmoidBCEAVX512(SB), NOSPLIT, $0-112
	MOVQ z_base+0(FP), SI
	MOVQ z_len+8(FP), CX
	MOVQ bias_base+24(FP), R8
	MOVQ y_base+48(FP), R9
	MOVQ dz_base+72(FP), DI
	VBROADCASTSS scale+96(FP), Z23
	VPXORD Z20, Z20, Z20
	VBROADCASTSS B(ONE), Z21
	VBROADCASTSS B(XMIN), Z22
	VPXORD Z24, Z24, Z24
	VPXORD Z25, Z25, Z25
	VPXORD Z26, Z26, Z26
	VPXORD Z27, Z27, Z27
	SHRQ $5, CX
	JZ s5done
s5loop:
	SBCE16(0, Z0, Y0, Z1, Z2, Z3, Y3, Z4, Z5, Z6, Z28, Z25)
	VADDPD Z28, Z24, Z24
	SBCE16(64, Z10, Y10, Z11, Z12, Z13, Y13, Z14, Z15, Z16, Z29, Z27)
	VADDPD Z29, Z26, Z26
	ADDQ $128, SI
	ADDQ $128, R8
	ADDQ $128, R9
	ADDQ $128, DI
	DECQ CX
	JNZ s5loop
s5done:
	VADDPD Z25, Z24, Z24
	VADDPD Z27, Z26, Z26
	VADDPD Z26, Z24, Z0
	VEXTRACTF64X4 $1, Z0, Y1
	VADDPD Y1, Y0, Y0
	VEXTRACTF128 $1, Y0, X1
	VADDPD X1, X0, X0
	VHADDPD X0, X0, X0
	VZEROUPPER
	MOVSD X0, ret+104(FP)
	RET
