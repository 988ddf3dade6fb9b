package simdgen

// adam emits Keras' Adam update over n parameters (n a multiple of 4):
//
//	m += (g - m)·(1-b1); v += (g² - v)·(1-b2); w -= alpha·m / (sqrt(v) + eps)
//
// in the same operation order as nn.Adam, so results are identical.
// adam(w, g, m, v, n, 1-b1, 1-b2, alpha, eps), the last four as f32 bits.
func adam() *fn {
	f := &fn{name: "adam"}
	w := &f.code
	var (
		pw, pg, pm, pv, n, end = li(0), li(1), li(2), li(3), li(4), li(5)
		om1, om2, al, eps      = lv(0), lv(1), lv(2), lv(3)
		g, m, v                = lv(4), lv(5), lv(6)
	)
	w.loadArgs(pw, pg, pm, pv, n)
	for idx, l := range []int{om1, om2, al, eps} { // f32 arguments, splatted
		w.get(0)
		w.op(opF32Load)
		w.memarg(2, 4*(5+idx))
		w.simd(vF32Splat)
		w.set(l)
	}
	w.endOf(end, pw, n)
	w.while(func() { w.get(pw); w.get(end); w.op(opI32GeU) }, func() {
		w.vload(pg, 0)
		w.set(g)
		// m = m + (g - m)*om1
		w.vload(pm, 0)
		w.set(m)
		w.get(m)
		w.get(g)
		w.get(m)
		w.simd(vF32Sub)
		w.get(om1)
		w.simd(vF32Mul)
		w.simd(vF32Add)
		w.set(m)
		w.vstore(pm, 0, func() { w.get(m) })
		// v = v + (g*g - v)*om2
		w.vload(pv, 0)
		w.set(v)
		w.get(v)
		w.get(g)
		w.get(g)
		w.simd(vF32Mul)
		w.get(v)
		w.simd(vF32Sub)
		w.get(om2)
		w.simd(vF32Mul)
		w.simd(vF32Add)
		w.set(v)
		w.vstore(pv, 0, func() { w.get(v) })
		// w = w - alpha*m / (sqrt(v) + eps)
		w.vstore(pw, 0, func() {
			w.vload(pw, 0)
			w.get(al)
			w.get(m)
			w.simd(vF32Mul)
			w.get(v)
			w.simd(vF32Sqrt)
			w.get(eps)
			w.simd(vF32Add)
			w.simd(vF32Div)
			w.simd(vF32Sub)
		})
		for _, l := range []int{pw, pg, pm, pv} {
			w.addTo(l, 16)
		}
	})
	return f
}

// vadd emits dst += src over n floats (a multiple of 4): summing the
// workers' gradients. vadd(dst, src, n).
func vadd() *fn {
	f := &fn{name: "vadd"}
	w := &f.code
	dst, src, n, end := li(0), li(1), li(2), li(3)
	w.loadArgs(dst, src, n)
	w.endOf(end, dst, n)
	w.while(func() { w.get(dst); w.get(end); w.op(opI32GeU) }, func() {
		w.vstore(dst, 0, func() {
			w.vload(dst, 0)
			w.vload(src, 0)
			w.simd(vF32Add)
		})
		w.addTo(dst, 16)
		w.addTo(src, 16)
	})
	return f
}

// finite emits the sum over n floats (a multiple of 4) of x·0: 0 when all
// are finite, NaN when any is NaN or infinite. finite(x, n) f64.
func finite() *fn {
	f := &fn{name: "finite", result: true}
	w := &f.code
	x, n, end := li(0), li(1), li(2)
	acc := lv(0)
	w.loadArgs(x, n)
	w.endOf(end, x, n)
	w.zero()
	w.set(acc)
	w.while(func() { w.get(x); w.get(end); w.op(opI32GeU) }, func() {
		w.get(acc)
		w.vload(x, 0)
		w.zero()
		w.simd(vF32Mul)
		w.simd(vF32Add)
		w.set(acc)
		w.addTo(x, 16)
	})
	w.sumF64(acc)
	return f
}
