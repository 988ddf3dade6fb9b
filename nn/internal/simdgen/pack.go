package simdgen

// packB emits the GEMM's B packing for nr = 8: the kc×nc block of B at
// b (row stride ldb floats) into panels of 8 columns, panel q row p at
// dst[q*8*kc + p*8]; nc is a multiple of 8 (the caller pads the rest).
func packB() *fn {
	f := &fn{name: "packB"}
	w := &f.code
	var (
		b, ldb, kc, nc, dst = li(0), li(1), li(2), li(3), li(4)
		q, p, src, d, col   = li(5), li(6), li(7), li(8), li(9)
	)
	w.loadArgs(b, ldb, kc, nc, dst)
	w.bytesOf(ldb)
	w.forUp(q, 0, nc, 8, func() {
		// col = b + q*4: the panel's first column
		w.endOf(col, b, q)
		w.forUp(p, 0, kc, 1, func() {
			// src = col + p*ldb
			w.get(col)
			w.get(p)
			w.get(ldb)
			w.op(opI32Mul)
			w.op(opI32Add)
			w.set(src)
			w.get(dst)
			w.set(d)
			w.vstore(d, 0, func() { w.vload(src, 0) })
			w.vstore(d, 16, func() { w.vload(src, 16) })
			w.addTo(dst, 32)
		})
	})
	return f
}

// packAT emits the GEMM's packing of a transposed A: dst[i*kc + p] =
// a[p*lda + i] for i < mc (a multiple of 4) and p < kc.
func packAT() *fn {
	f := &fn{name: "packAT"}
	w := &f.code
	var (
		a, lda, kc, mc, dst = li(0), li(1), li(2), li(3), li(4)
		p, i, src, d, kcb   = li(5), li(6), li(7), li(8), li(9)
		v                   = lv(0)
	)
	w.loadArgs(a, lda, kc, mc, dst)
	w.bytesOf(lda)
	w.get(kc)
	w.i32(2)
	w.op(opI32Shl)
	w.set(kcb)
	w.forUp(p, 0, kc, 1, func() {
		w.get(a)
		w.set(src)
		// d = dst + p*4
		w.endOf(d, dst, p)
		w.forUp(i, 0, mc, 4, func() {
			w.vload(src, 0)
			w.set(v)
			for lane := byte(0); lane < 4; lane++ {
				w.storeLane(d, v, lane, 0)
				w.addLocal(d, kcb)
			}
			w.addTo(src, 16)
		})
		w.addLocal(a, lda)
	})
	return f
}

// packBT emits the GEMM's B packing for nr = 8 when B is given transposed
// (column j of the block is the row at b + j*ldb floats, contiguous over
// p): panel q row p at dst[q*8*kc + p*8], as packB. Each load of four
// values of a column becomes four stores, a row of the panel apart. It
// packs rows p < k4 (a multiple of 4) of panels kc rows long; nc is a
// multiple of 8 (the caller does the rest).
// packBT(b, ldb, k4, nc, dst, kc).
func packBT() *fn {
	f := &fn{name: "packBT"}
	w := &f.code
	var (
		b, ldb, k4, nc, dst, kc = li(0), li(1), li(2), li(3), li(4), li(10)
		j, p, src, d, col       = li(5), li(6), li(7), li(8), li(9)
		v                       = lv(0)
	)
	w.loadArgs(b, ldb, k4, nc, dst, kc)
	w.bytesOf(ldb)
	w.forUp(j, 0, nc, 1, func() {
		// src = b + j*ldb; d = dst + (j/8)*8*kc + j%8 floats
		w.get(b)
		w.get(j)
		w.get(ldb)
		w.op(opI32Mul)
		w.op(opI32Add)
		w.set(src)
		w.get(j)
		w.i32(3)
		w.op(opI32ShrU)
		w.get(kc)
		w.op(opI32Mul)
		w.i32(3)
		w.op(opI32Shl)
		w.get(j)
		w.i32(7)
		w.op(opI32And)
		w.op(opI32Add)
		w.set(col)
		w.endOf(d, dst, col)
		w.forUp(p, 0, k4, 4, func() {
			w.vload(src, 0)
			w.set(v)
			for lane := byte(0); lane < 4; lane++ {
				w.storeLane(d, v, lane, 32*int(lane))
			}
			w.addTo(src, 16)
			w.addTo(d, 128)
		})
	})
	return f
}

// storeLane emits f32.store(local d + off, lane of local v).
func (w *asm) storeLane(d, v int, lane byte, off int) {
	w.get(d)
	w.get(v)
	w.simd(vF32Extract)
	w.op(lane)
	w.op(opF32Store)
	w.memarg(2, off)
}
