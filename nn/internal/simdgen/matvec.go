package simdgen

// gemv emits c[i*ldc] += Σ_p a[i*lda+p]·x[p] for i < m: the n = 1 GEMM
// (a convolution with one output channel).
func gemv() *fn {
	f := &fn{name: "gemv"}
	w := &f.code
	var (
		a, lda, x, c, ldc, m, k = li(0), li(1), li(2), li(3), li(4), li(5), li(6)
		i, pa, px, end, k4      = li(7), li(8), li(9), li(10), li(11)
		acc                     = lv(0)
		sum                     = lf32(0)
	)
	w.loadArgs(a, lda, x, c, ldc, m, k)
	for _, l := range []int{lda, ldc} {
		w.bytesOf(l)
	}
	w.get(k)
	w.i32(-4)
	w.op(opI32And)
	w.i32(2)
	w.op(opI32Shl)
	w.set(k4) // bytes of the multiple-of-4 part
	w.forUp(i, 0, m, 1, func() {
		w.get(a)
		w.set(pa)
		w.get(x)
		w.set(px)
		w.get(a)
		w.get(k4)
		w.op(opI32Add)
		w.set(end)
		w.zero()
		w.set(acc)
		w.while(func() { w.get(pa); w.get(end); w.op(opI32GeU) }, func() {
			w.get(acc)
			w.vload(pa, 0)
			w.vload(px, 0)
			w.simd(vF32Mul)
			w.simd(vF32Add)
			w.set(acc)
			w.addTo(pa, 16)
			w.addTo(px, 16)
		})
		// sum = hsum(acc) + the tail; c[i] += sum
		w.hsum(acc)
		w.set(sum)
		// end = a + k*4 for the scalar tail
		w.endOf(end, a, k)
		w.while(func() { w.get(pa); w.get(end); w.op(opI32GeU) }, func() {
			w.get(sum)
			w.get(pa)
			w.op(opF32Load)
			w.memarg(2, 0)
			w.get(px)
			w.op(opF32Load)
			w.memarg(2, 0)
			w.op(opF32Mul)
			w.op(opF32Add)
			w.set(sum)
			w.addTo(pa, 4)
			w.addTo(px, 4)
		})
		w.get(c)
		w.get(c)
		w.op(opF32Load)
		w.memarg(2, 0)
		w.get(sum)
		w.op(opF32Add)
		w.op(opF32Store)
		w.memarg(2, 0)
		w.addLocal(a, lda)
		w.addLocal(c, ldc)
	})
	return f
}

// gevm emits c[j] += Σ_p a[p]·b[p*ldb+j] for j < n: the m = 1 GEMM (the
// weight gradient of a one-channel convolution), row by row of b. n is a
// multiple of 4.
func gevm() *fn {
	f := &fn{name: "gevm"}
	w := &f.code
	var (
		a, b, ldb, c, n, k = li(0), li(1), li(2), li(3), li(4), li(5)
		p, pb, pc, end     = li(6), li(7), li(8), li(9)
		av                 = lv(0)
	)
	w.loadArgs(a, b, ldb, c, n, k)
	w.bytesOf(ldb)
	w.forUp(p, 0, k, 1, func() {
		w.get(a)
		w.op(opF32Load)
		w.memarg(2, 0)
		w.simd(vF32Splat)
		w.set(av)
		w.get(b)
		w.set(pb)
		w.get(c)
		w.set(pc)
		w.endOf(end, c, n)
		w.while(func() { w.get(pc); w.get(end); w.op(opI32GeU) }, func() {
			w.vstore(pc, 0, func() {
				w.vload(pc, 0)
				w.get(av)
				w.vload(pb, 0)
				w.simd(vF32Mul)
				w.simd(vF32Add)
			})
			w.addTo(pc, 16)
			w.addTo(pb, 16)
		})
		w.addTo(a, 4)
		w.addLocal(b, ldb)
	})
	return f
}

// colSums emits dst[j] += Σ_r m[r*c + j]: the bias gradient. c is 1 or a
// multiple of 4; for c = 1, rows is a multiple of 4.
func colSums() *fn {
	f := &fn{name: "colSums"}
	w := &f.code
	var (
		m, rows, c, dst, r, j, pd, end = li(0), li(1), li(2), li(3), li(4), li(5), li(6), li(7)
		acc                            = lv(0)
		sum                            = lf32(0)
	)
	w.loadArgs(m, rows, c, dst)
	w.ifThen(func() { w.get(c); w.i32(1); w.op(opI32Eq) }, func() {
		w.endOf(end, m, rows)
		w.zero()
		w.set(acc)
		w.while(func() { w.get(m); w.get(end); w.op(opI32GeU) }, func() {
			w.get(acc)
			w.vload(m, 0)
			w.simd(vF32Add)
			w.set(acc)
			w.addTo(m, 16)
		})
		w.hsum(acc)
		w.set(sum)
		w.get(dst)
		w.get(dst)
		w.op(opF32Load)
		w.memarg(2, 0)
		w.get(sum)
		w.op(opF32Add)
		w.op(opF32Store)
		w.memarg(2, 0)
	}, func() {
		w.forUp(r, 0, rows, 1, func() {
			w.get(dst)
			w.set(pd)
			w.forUp(j, 0, c, 4, func() {
				w.vstore(pd, 0, func() {
					w.vload(pd, 0)
					w.vload(m, 0)
					w.simd(vF32Add)
				})
				w.addTo(pd, 16)
				w.addTo(m, 16)
			})
		})
	})
	return f
}
