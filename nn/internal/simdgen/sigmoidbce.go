package simdgen

// The logits at which Keras' clipping of p to [1e-7, 1-1e-7] begins:
// logit(1e-7), and logit(1-2^-23), 1-1e-7 rounded to float32.
const (
	bceLogitLo = -16.118095651
	bceLogitHi = 15.942385152
)

// sigmoidBCE emits the output layer of a training step in one pass: for
// every value z (with its bias added) it writes p = sigmoid(z) over z,
// dz = scale·(p - y), and sums the binary cross-entropy of p against y in
// f64, which it returns. The loss is taken from the logit, as
//
//	max(zc, 0) - y·zc + log(1 + e),  e = exp(-|z|),  zc = z clamped to the logits of Keras' clip
//
// so it needs one logarithm, and that of 1+e in (1, 2], which the series
// log(1+e) = 2·atanh(t) = 2t(1 + t²/3 + t⁴/5 + …), t = e/(2+e) ≤ 1/3, gives
// to float precision in seven terms, with e shared with the sigmoid.
// sigmoidBCE(z, bias, n, c, y, dz, scale as f32 bits) f64; the bias as in
// biasAct.
func sigmoidBCE() *fn {
	f := &fn{name: "sigmoidBCE", result: true}
	w := &f.code
	var (
		z, bias, n, c, y, dz, end, pb, j = li(0), li(1), li(2), li(3), li(4), li(5), li(6), li(7), li(8)
		v, bv, e, s, t, u, yv, sc        = lv(0), lv(1), lv(2), lv(3), lv(4), lv(5), lv(6), lv(7)
		t0, t1, acc                      = lv(8), lv(9), lv(10) // acc: f64x2
	)
	w.loadArgs(z, bias, n, c, y, dz)
	w.get(0)
	w.op(opF32Load)
	w.memarg(2, 24)
	w.simd(vF32Splat)
	w.set(sc)
	w.endOf(end, z, n)
	w.zero()
	w.set(acc)
	next := w.hoistI32(w.hoist(lv(11), expConsts...), 127-int32(math32bits(expMagic)))
	w.hoist(next, 2, bceLogitLo, bceLogitHi, 1.0/13, 1.0/11, 1.0/9, 1.0/7, 1.0/5, 1.0/3) // 1 is among expConsts
	step := func() {
		w.vload(z, 0)
		w.get(bv)
		w.simd(vF32Add)
		w.set(v)
		// e = exp(-|v|); s = 1/(1+e); p = v ≥ 0 ? s : e·s
		w.get(v)
		w.simd(vF32Abs)
		w.simd(vF32Neg)
		w.set(t)
		w.expNeg(t, t0, t1)
		w.set(e)
		w.splatF32(1)
		w.splatF32(1)
		w.get(e)
		w.simd(vF32Add)
		w.simd(vF32Div)
		w.set(s)
		w.get(s)
		w.get(e)
		w.get(s)
		w.simd(vF32Mul)
		w.get(v)
		w.zero()
		w.simd(vF32Ge)
		w.simd(vBitselect)
		w.set(s) // p
		w.vstore(z, 0, func() { w.get(s) })
		w.vload(y, 0)
		w.set(yv)
		w.vstore(dz, 0, func() {
			w.get(sc)
			w.get(s)
			w.get(yv)
			w.simd(vF32Sub)
			w.simd(vF32Mul)
		})
		// t = e/(2+e), u = t²; s = 1 + u/3 + u²/5 + … + u⁶/13
		w.get(e)
		w.splatF32(2)
		w.get(e)
		w.simd(vF32Add)
		w.simd(vF32Div)
		w.set(t)
		w.get(t)
		w.get(t)
		w.simd(vF32Mul)
		w.set(u)
		w.splatF32(1.0 / 13)
		for _, k := range []float32{11, 9, 7, 5, 3, 1} {
			w.get(u)
			w.simd(vF32Mul)
			w.splatF32(1 / k)
			w.simd(vF32Add)
		}
		w.get(t)
		w.get(t)
		w.simd(vF32Add)
		w.simd(vF32Mul) // log(1+e) = 2t·s
		// + max(zc, 0) - y·zc
		w.get(v)
		w.splatF32(bceLogitLo)
		w.simd(vF32PMax)
		w.splatF32(bceLogitHi)
		w.simd(vF32PMin)
		w.set(v)
		w.get(v)
		w.zero()
		w.simd(vF32PMax)
		w.simd(vF32Add)
		w.get(yv)
		w.get(v)
		w.simd(vF32Mul)
		w.simd(vF32Sub)
		w.set(s)
		w.accumulateF64(acc, s)
		w.addTo(z, 16)
		w.addTo(y, 16)
		w.addTo(dz, 16)
	}
	w.biasLoop(z, end, bias, c, pb, j, bv, step)
	w.sumF64x2(acc)
	return f
}
