package simdgen

import "math"

func math32bits(v float32) uint32 { return math.Float32bits(v) }

// The vector exp and log are Cephes' expf and logf (as nn's scalar expf
// and logf), four lanes at a time.

// expConsts are expNeg's constants, to hoist.
var expConsts = []float32{-87.3, 1.44269504088896341, 0.693359375, -2.12194440e-4, 1.9875691500e-4,
	1.3981999507e-3, 8.3334519073e-3, 4.1665795894e-2, 1.6666665459e-1, 5.0000001201e-1, 1, expMagic}

// expMagic is 1.5·2^23: adding it to a float of magnitude under 2^22 rounds
// that to an integer (to even, as f32x4.nearest) held in the low bits.
const expMagic = 12582912

// expNeg emits: pop x (v128, every lane ≤ 0) and push exp(x). Uses locals
// t0..t2 (v128).
func (w *asm) expNeg(x, t0, t1 int) {
	// x = max(x, -87.3): exp of that is still a normal float.
	w.get(x)
	w.splatF32(-87.3)
	w.simd(vF32PMax)
	w.set(x)
	// n = nearest(x*log2e), by adding 1.5·2^23: the sum's low mantissa bits
	// are then n (t0 keeps them); fx = n as a float (t1); x -= fx*ln2 (in
	// two parts, for precision). This replaces a round and a saturating
	// conversion, which V8 emits as many instructions.
	w.get(x)
	w.splatF32(1.44269504088896341)
	w.simd(vF32Mul)
	w.splatF32(expMagic)
	w.simd(vF32Add)
	w.set(t0)
	w.get(t0)
	w.splatF32(expMagic)
	w.simd(vF32Sub)
	w.set(t1)
	w.get(x)
	w.get(t1)
	w.splatF32(0.693359375)
	w.simd(vF32Mul)
	w.simd(vF32Sub)
	w.get(t1)
	w.splatF32(-2.12194440e-4)
	w.simd(vF32Mul)
	w.simd(vF32Sub)
	w.set(x)
	// y = poly(x)*x² + x + 1
	w.splatF32(1.9875691500e-4)
	for _, c := range []float32{1.3981999507e-3, 8.3334519073e-3, 4.1665795894e-2, 1.6666665459e-1, 5.0000001201e-1} {
		w.get(x)
		w.simd(vF32Mul)
		w.splatF32(c)
		w.simd(vF32Add)
	}
	w.get(x)
	w.get(x)
	w.simd(vF32Mul)
	w.simd(vF32Mul)
	w.get(x)
	w.simd(vF32Add)
	w.splatF32(1)
	w.simd(vF32Add)
	w.set(t1)
	// times 2^n: ((n + 127) << 23) as float bits, n being t0's bits less
	// the magic number's
	w.get(t0)
	w.splatI32(127 - int32(math32bits(expMagic)))
	w.simd(vI32Add)
	w.i32(23)
	w.simd(vI32Shl)
	w.get(t1)
	w.simd(vF32Mul)
}

// log emits: pop x (v128, every lane a normal positive float) and push
// log(x). Uses locals e, t, z (v128).
func (w *asm) log(x, e, t, z int) {
	// e = (bits >> 23) - 126; mantissa m in [0.5, 1)
	w.get(x)
	w.i32(23)
	w.simd(vI32ShrU)
	w.splatI32(126)
	w.simd(vI32Sub)
	w.set(e)
	w.get(x)
	w.splatI32(0x007fffff)
	w.simd(vAnd)
	w.splatI32(0x3f000000)
	w.simd(vOr)
	w.set(x)
	// if m < sqrt(1/2): e--, x = 2m - 1, else x = m - 1
	w.get(x)
	w.splatF32(0.707106781186547524)
	w.simd(vF32Lt)
	w.set(t) // mask: all ones where m < sqrt(1/2)
	w.get(e)
	w.get(t)
	w.simd(vI32Add) // adding -1 where the mask is set
	w.simd(vF32ConvertI)
	w.set(e) // e as float from here on
	w.get(x)
	w.get(x)
	w.get(t)
	w.simd(vAnd)
	w.simd(vF32Add)
	w.splatF32(1)
	w.simd(vF32Sub)
	w.set(x)
	w.get(x)
	w.get(x)
	w.simd(vF32Mul)
	w.set(z)
	// y = poly(x) * x * z
	w.splatF32(7.0376836292e-2)
	for _, c := range []float32{-1.1514610310e-1, 1.1676998740e-1, -1.2420140846e-1, 1.4249322787e-1,
		-1.6668057665e-1, 2.0000714765e-1, -2.4999993993e-1, 3.3333331174e-1} {
		w.get(x)
		w.simd(vF32Mul)
		w.splatF32(c)
		w.simd(vF32Add)
	}
	w.get(x)
	w.simd(vF32Mul)
	w.get(z)
	w.simd(vF32Mul)
	// y += e*ln2lo - z/2; result x + y + e*ln2hi
	w.get(e)
	w.splatF32(-2.12194440e-4)
	w.simd(vF32Mul)
	w.simd(vF32Add)
	w.get(z)
	w.splatF32(0.5)
	w.simd(vF32Mul)
	w.simd(vF32Sub)
	w.get(x)
	w.simd(vF32Add)
	w.get(e)
	w.splatF32(0.693359375)
	w.simd(vF32Mul)
	w.simd(vF32Add)
}
