package simdgen

// activation emits: pop v (v128) and push act(v), with scratch locals.
type activation func(w *asm, v, t0, t1, t2 int)

func relu(w *asm, v, _, _, _ int) {
	w.get(v)
	w.zero()
	w.simd(vF32PMax) // NaN stays NaN, so divergence is still seen
}

// sigmoid: e = exp(-|v|); s = 1/(1+e); v ≥ 0 ? s : e*s — stable at both ends.
func sigmoid(w *asm, v, t0, t1, t2 int) {
	w.get(v)
	w.simd(vF32Abs)
	w.simd(vF32Neg)
	w.set(t2)
	w.expNeg(t2, t0, t1)
	w.set(t0) // e
	w.splatF32(1)
	w.splatF32(1)
	w.get(t0)
	w.simd(vF32Add)
	w.simd(vF32Div)
	w.set(t1) // s
	w.get(t1)
	w.get(t0)
	w.get(t1)
	w.simd(vF32Mul)
	w.get(v)
	w.zero()
	w.simd(vF32Ge)
	w.simd(vBitselect) // lanes where v ≥ 0 take s, others e*s
}

// biasAct emits y = act(y + bias) over n floats, bias of length c (1, or a
// multiple of 4 repeating every c floats).
func biasAct(name string, act activation) *fn {
	f := &fn{name: name}
	w := &f.code
	var (
		y, bias, n, c, j, pb, end = li(0), li(1), li(2), li(3), li(5), li(6), li(7)
		v, bv, t0, t1, t2         = lv(0), lv(1), lv(2), lv(3), lv(4)
	)
	w.loadArgs(y, bias, n, c)
	// end = y + n*4
	w.endOf(end, y, n)
	step := func() {
		w.vload(y, 0)
		w.get(bv)
		w.simd(vF32Add)
		w.set(v)
		act(w, v, t0, t1, t2)
		w.set(v)
		w.get(y)
		w.get(v)
		w.simd(vStore)
		w.memarg(2, 0)
		w.addTo(y, 16)
	}
	w.biasLoop(y, end, bias, c, pb, j, bv, step)
	return f
}

// biasLoop emits step() for every vector from local y up to local end, with
// local bv holding the bias of those four values: the one bias splatted
// (c == 1) or the matching four of a per-channel bias (rows of c floats,
// c a multiple of 4). step must advance y by 16 bytes.
func (w *asm) biasLoop(y, end, bias, c, pb, j, bv int, step func()) {
	w.get(c)
	w.i32(1)
	w.op(opI32Eq)
	w.op(opIf, blockVoid)
	{ // one bias for every value
		w.get(bias)
		w.op(opF32Load)
		w.memarg(2, 0)
		w.simd(vF32Splat)
		w.set(bv)
		w.while(func() { w.get(y); w.get(end); w.op(opI32GeU) }, step)
	}
	w.op(opElse)
	{ // one bias per channel: rows of c
		w.while(func() { w.get(y); w.get(end); w.op(opI32GeU) }, func() {
			w.get(bias)
			w.set(pb)
			w.forUp(j, 0, c, 4, func() {
				w.vload(pb, 0)
				w.set(bv)
				w.addTo(pb, 16)
				step()
			})
		})
	}
	w.op(opEnd)
}

// reluGrad emits dy = y > 0 ? dy : 0 over n floats.
func reluGrad() *fn {
	f := &fn{name: "reluGrad"}
	w := &f.code
	y, dy, n, end := li(0), li(1), li(2), li(3)
	w.loadArgs(y, dy, n)
	w.endOf(end, y, n)
	w.while(func() { w.get(y); w.get(end); w.op(opI32GeU) }, func() {
		w.get(dy)
		w.vload(dy, 0)
		w.vload(y, 0)
		w.zero()
		w.simd(vF32Gt)
		w.simd(vAnd)
		w.simd(vStore)
		w.memarg(2, 0)
		w.addTo(y, 16)
		w.addTo(dy, 16)
	})
	return f
}

// bceSum emits the binary cross-entropy summed over n values, in f64.
func bceSum() *fn {
	f := &fn{name: "bceSum", result: true}
	w := &f.code
	var (
		p, y, n, end               = li(0), li(1), li(2), li(3)
		pv, yv, l1, l2, e, t, z, s = lv(0), lv(1), lv(2), lv(3), lv(4), lv(5), lv(6), lv(7)
		acc                        = lv(8) // f64x2
	)
	w.loadArgs(p, y, n)
	w.endOf(end, p, n)
	w.zero()
	w.set(acc)
	w.while(func() { w.get(p); w.get(end); w.op(opI32GeU) }, func() {
		// pv = clip(p, eps, 1-eps), as Keras (in float32: 1-1e-7 is 1-2^-23)
		w.vload(p, 0)
		w.splatF32(1e-7)
		w.simd(vF32PMax)
		w.splatF32(1 - 1e-7)
		w.simd(vF32PMin)
		w.set(pv)
		w.vload(y, 0)
		w.set(yv)
		// Most MNIST targets are exactly 0 or 1, where one logarithm does:
		// -log(y == 1 ? p : 1-p). Four such lanes take that path; a group
		// with any other target computes both logarithms.
		w.get(yv)
		w.zero()
		w.simd(vF32Eq)
		w.get(yv)
		w.splatF32(1)
		w.simd(vF32Eq)
		w.set(l2) // mask: y == 1
		w.get(l2)
		w.simd(vOr)
		w.simd(vAllTrueI32)
		w.ifThen(func() {}, func() {
			w.get(pv) // where y == 1 take p, else 1-p
			w.splatF32(1)
			w.get(pv)
			w.simd(vF32Sub)
			w.get(l2)
			w.simd(vBitselect)
			w.set(s)
			w.log(s, e, t, z)
			w.simd(vF32Neg)
			w.set(s)
		}, func() {
			w.get(pv)
			w.set(s)
			w.log(s, e, t, z)
			w.set(l1) // log p
			w.splatF32(1)
			w.get(pv)
			w.simd(vF32Sub)
			w.set(s)
			w.log(s, e, t, z)
			w.set(l2) // log(1-p)
			// -(y*l1 + (1-y)*l2) = y*(l2-l1) - l2
			w.get(yv)
			w.get(l2)
			w.get(l1)
			w.simd(vF32Sub)
			w.simd(vF32Mul)
			w.get(l2)
			w.simd(vF32Sub)
			w.set(s)
		})
		w.accumulateF64(acc, s)
		w.addTo(p, 16)
		w.addTo(y, 16)
	})
	w.sumF64x2(acc)
	return f
}

// scaledDiff emits dz = scale·(p - y) over n floats (a multiple of 4): the
// fused gradient of a sigmoid output under binary cross-entropy.
// scaledDiff(dz, p, y, n, scale as f32 bits).
func scaledDiff() *fn {
	f := &fn{name: "scaledDiff"}
	w := &f.code
	dz, p, y, n, end := li(0), li(1), li(2), li(3), li(4)
	sc := lv(0)
	w.loadArgs(dz, p, y, n)
	w.get(0)
	w.op(opF32Load)
	w.memarg(2, 16)
	w.simd(vF32Splat)
	w.set(sc)
	w.endOf(end, dz, n)
	w.while(func() { w.get(dz); w.get(end); w.op(opI32GeU) }, func() {
		w.vstore(dz, 0, func() {
			w.get(sc)
			w.vload(p, 0)
			w.vload(y, 0)
			w.simd(vF32Sub)
			w.simd(vF32Mul)
		})
		w.addTo(dz, 16)
		w.addTo(p, 16)
		w.addTo(y, 16)
	})
	return f
}

// toFloat emits dst[i] = src[i] / 255 for n bytes (a multiple of 16): pixels
// to [0, 1], divided as the scalar code divides, so the values are equal.
// toFloat(src, dst, n).
func toFloat() *fn {
	f := &fn{name: "toFloat"}
	w := &f.code
	src, dst, n, end := li(0), li(1), li(2), li(3)
	b, k := lv(0), lv(1)
	w.loadArgs(src, dst, n)
	w.splatF32(255)
	w.set(k)
	w.get(src)
	w.get(n)
	w.op(opI32Add)
	w.set(end)
	w.while(func() { w.get(src); w.get(end); w.op(opI32GeU) }, func() {
		w.vload(src, 0) // 16 bytes
		w.set(b)
		// bytes -> 4 × (4 × u32) -> f32 / 255
		for q := 0; q < 4; q++ {
			w.get(dst)
			w.get(b)
			if q < 2 {
				w.simd(vI16ExtLowU)
			} else {
				w.simd(vI16ExtHighU)
			}
			if q%2 == 0 {
				w.simd(vI32ExtLowU)
			} else {
				w.simd(vI32ExtHighU)
			}
			w.simd(vF32ConvertU)
			w.get(k)
			w.simd(vF32Div)
			w.simd(vStore)
			w.memarg(2, 16*q)
		}
		w.addTo(src, 16)
		w.addTo(dst, 64)
	})
	return f
}
