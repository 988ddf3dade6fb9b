package simdgen

// Winograd's F(2×2, 3×3) transforms (see nn's winograd.go), four channels
// at a time, over th rows of tw tiles of an NHWC image. Each does the
// portable code's operations in its order (winoBt, winoAt, winoA, winoB,
// winoBAdd there), so the values are the same. All four take
//
//	(img, stride, c, th, tw, tr, pos)
//
// img: the image's first tile (its top-left pixel), rows stride floats
// apart, tiles 2c apart; tr: the first tile's transformed values, position
// p of tile k at tr + p·pos + k·c (floats), so that the tiles' values at
// each position are one contiguous run. c is a multiple of 4; the caller
// checks the extents.
//
//	winoIn:      tr = Bᵀ d B for each tile's 4×4 pixels d at img
//	winoOut:     each tile's 2×2 pixels at img = Aᵀ m A, m at tr
//	winoGradOut: tr = A dz Aᵀ for each tile's 2×2 pixels dz at img
//	winoGradIn:  B q Bᵀ, q at tr, added into each tile's 4×4 pixels at img

// Locals the four share.
var (
	wImg, wStride, wC, wTH, wTW, wTr, wPos = li(0), li(1), li(2), li(3), li(4), li(5), li(6)
	wTY, wTX, wRow, wEnd                   = li(7), li(8), li(9), li(10)
	wC2, wC3, wS2, wS3                     = li(11), li(12), li(13), li(14)
	wP2, wP3, wP4, wP8, wP12               = li(15), li(16), li(17), li(18), li(19)
	wA, wB                                 = li(20), li(21)
)

// winoLoop emits the arguments' loading and the loops over tiles and
// channels, body() once for each four channels of a tile with local wImg
// at its top-left pixel's and wTr at its position 0's (byte addresses).
func (w *asm) winoLoop(body func()) {
	w.loadArgs(wImg, wStride, wC, wTH, wTW, wTr, wPos)
	for _, l := range []int{wStride, wC, wPos} {
		w.bytesOf(l)
	}
	times := func(dst, src int, k int32) { w.get(src); w.i32(k); w.op(opI32Mul); w.set(dst) }
	times(wC2, wC, 2)
	times(wC3, wC, 3)
	times(wS2, wStride, 2)
	times(wS3, wStride, 3)
	times(wP2, wPos, 2)
	times(wP3, wPos, 3)
	times(wP4, wPos, 4)
	times(wP8, wPos, 8)
	times(wP12, wPos, 12)
	w.get(wImg)
	w.set(wRow)
	w.forUp(wTY, 0, wTH, 1, func() {
		w.get(wRow)
		w.set(wImg)
		w.forUp(wTX, 0, wTW, 1, func() {
			w.get(wImg)
			w.get(wC)
			w.op(opI32Add)
			w.set(wEnd)
			w.while(func() { w.get(wImg); w.get(wEnd); w.op(opI32GeU) }, func() {
				body()
				w.addTo(wImg, 16)
				w.addTo(wTr, 16)
			})
			// The next tile is 2c from this one's start; the
			// transformed values run on.
			w.addLocal(wImg, wC)
		})
		w.addLocal(wRow, wS2)
	})
}

// at emits local dst = local base + local off (off < 0: base alone).
func (w *asm) at(dst, base, off int) {
	w.get(base)
	if off >= 0 {
		w.get(off)
		w.op(opI32Add)
	}
	w.set(dst)
}

// ld pushes v128.load(local a).
func (w *asm) ld(a int) { w.get(a); w.simd(vLoad); w.memarg(2, 0) }

// vop pushes local x op local y.
func (w *asm) vop(x int, op uint64, y int) { w.get(x); w.get(y); w.simd(op) }

// stv emits v128.store(local a, <push()>).
func (w *asm) stv(a int, push func()) { w.get(a); push(); w.simd(vStore); w.memarg(2, 0) }

// offsets4 are the locals (-1: none) of 0, 1, 2 and 3 times a stride.
func offsets4(s1, s2, s3 int) [4]int { return [4]int{-1, s1, s2, s3} }

func winoIn() *fn {
	f := &fn{name: "winoIn"}
	w := &f.code
	var h [16]int // d·B: row i's four values at h[4i+j]
	for i := range h {
		h[i] = lv(i)
	}
	d0, d1, d2, d3 := lv(16), lv(17), lv(18), lv(19)
	rows, cols := offsets4(wStride, wS2, wS3), offsets4(wC, wC2, wC3)
	pos, quarter := offsets4(wPos, wP2, wP3), offsets4(wP4, wP8, wP12)
	w.winoLoop(func() {
		// d·B, row by row: Bᵀ on the row's four pixels.
		for i := 0; i < 4; i++ {
			w.at(wA, wImg, rows[i])
			for j, d := range []int{d0, d1, d2, d3} {
				w.at(wB, wA, cols[j])
				w.ld(wB)
				w.set(d)
			}
			w.vop(d0, vF32Sub, d2)
			w.set(h[4*i])
			w.vop(d1, vF32Add, d2)
			w.set(h[4*i+1])
			w.vop(d2, vF32Sub, d1)
			w.set(h[4*i+2])
			w.vop(d1, vF32Sub, d3)
			w.set(h[4*i+3])
		}
		// Bᵀ·(d·B), column by column: positions j, 4+j, 8+j, 12+j.
		for j := 0; j < 4; j++ {
			a, b, c, d := h[j], h[4+j], h[8+j], h[12+j]
			w.at(wA, wTr, pos[j])
			for i, v := range [][3]int{{a, vF32Sub, c}, {b, vF32Add, c}, {c, vF32Sub, b}, {b, vF32Sub, d}} {
				w.at(wB, wA, quarter[i])
				w.stv(wB, func() { w.vop(v[0], uint64(v[1]), v[2]) })
			}
		}
	})
	return f
}

func winoOut() *fn {
	f := &fn{name: "winoOut"}
	w := &f.code
	var t [8]int // m·A: row i's two values at t[2i], t[2i+1]
	for i := range t {
		t[i] = lv(i)
	}
	m0, m1, m2, m3 := lv(8), lv(9), lv(10), lv(11)
	pos, quarter := offsets4(wPos, wP2, wP3), offsets4(wP4, wP8, wP12)
	// (a + b) + c and (b - c) - d: Aᵀ on four values, pushed.
	at0 := func(a, b, c int) { w.vop(a, vF32Add, b); w.get(c); w.simd(vF32Add) }
	at1 := func(b, c, d int) { w.vop(b, vF32Sub, c); w.get(d); w.simd(vF32Sub) }
	w.winoLoop(func() {
		// m·A, row by row: Aᵀ on positions 4i … 4i+3.
		for i := 0; i < 4; i++ {
			w.at(wA, wTr, quarter[i])
			for j, m := range []int{m0, m1, m2, m3} {
				w.at(wB, wA, pos[j])
				w.ld(wB)
				w.set(m)
			}
			at0(m0, m1, m2)
			w.set(t[2*i])
			at1(m1, m2, m3)
			w.set(t[2*i+1])
		}
		// Aᵀ·(m·A), column by column: pixels (0, j) and (1, j).
		for j := 0; j < 2; j++ {
			a, b, c, d := t[j], t[2+j], t[4+j], t[6+j]
			w.at(wA, wImg, []int{-1, wC}[j])
			w.stv(wA, func() { at0(a, b, c) })
			w.at(wB, wA, wStride)
			w.stv(wB, func() { at1(b, c, d) })
		}
	})
	return f
}

func winoGradOut() *fn {
	f := &fn{name: "winoGradOut"}
	w := &f.code
	var t [8]int // dz·Aᵀ: row i's four values at t[4i+j]
	for i := range t {
		t[i] = lv(i)
	}
	z0, z1 := lv(8), lv(9)
	pos, quarter := offsets4(wPos, wP2, wP3), offsets4(wP4, wP8, wP12)
	// A on (a, b): a, a + b, a - b, -b, each pushed by one of these.
	a4 := []func(a, b int){
		func(a, _ int) { w.get(a) },
		func(a, b int) { w.vop(a, vF32Add, b) },
		func(a, b int) { w.vop(a, vF32Sub, b) },
		func(_, b int) { w.get(b); w.simd(vF32Neg) },
	}
	w.winoLoop(func() {
		// dz·Aᵀ, row by row: A on the row's two pixels.
		for i := 0; i < 2; i++ {
			w.at(wA, wImg, []int{-1, wStride}[i])
			w.ld(wA)
			w.set(z0)
			w.at(wB, wA, wC)
			w.ld(wB)
			w.set(z1)
			for j, op := range a4 {
				op(z0, z1)
				w.set(t[4*i+j])
			}
		}
		// A·(dz·Aᵀ), column by column: positions j, 4+j, 8+j, 12+j.
		for j := 0; j < 4; j++ {
			w.at(wA, wTr, pos[j])
			for i, op := range a4 {
				w.at(wB, wA, quarter[i])
				w.stv(wB, func() { op(t[j], t[4+j]) })
			}
		}
	})
	return f
}

func winoGradIn() *fn {
	f := &fn{name: "winoGradIn"}
	w := &f.code
	var t [16]int // q·Bᵀ: row i's four values at t[4i+j]
	for i := range t {
		t[i] = lv(i)
	}
	q0, q1, q2, q3 := lv(16), lv(17), lv(18), lv(19)
	rows, cols := offsets4(wStride, wS2, wS3), offsets4(wC, wC2, wC3)
	pos, quarter := offsets4(wPos, wP2, wP3), offsets4(wP4, wP8, wP12)
	// B on (a, b, c, d): a, (b - c) + d, (b + c) - a, -d, each pushed.
	b4 := []func(a, b, c, d int){
		func(a, _, _, _ int) { w.get(a) },
		func(_, b, c, d int) { w.vop(b, vF32Sub, c); w.get(d); w.simd(vF32Add) },
		func(a, b, c, _ int) { w.vop(b, vF32Add, c); w.get(a); w.simd(vF32Sub) },
		func(_, _, _, d int) { w.get(d); w.simd(vF32Neg) },
	}
	w.winoLoop(func() {
		// q·Bᵀ, row by row: B on positions 4i … 4i+3.
		for i := 0; i < 4; i++ {
			w.at(wA, wTr, quarter[i])
			for j, q := range []int{q0, q1, q2, q3} {
				w.at(wB, wA, pos[j])
				w.ld(wB)
				w.set(q)
			}
			for j, op := range b4 {
				op(q0, q1, q2, q3)
				w.set(t[4*i+j])
			}
		}
		// B·(q·Bᵀ), column by column, added into pixels (0..3, j); the
		// last row's -d is subtracted, as winoBAdd does.
		for j := 0; j < 4; j++ {
			a, b, c, d := t[j], t[4+j], t[8+j], t[12+j]
			w.at(wA, wImg, cols[j])
			for i, op := range b4 {
				w.at(wB, wA, rows[i])
				w.stv(wB, func() {
					w.ld(wB)
					if i == 3 {
						w.get(d)
						w.simd(vF32Sub)
						return
					}
					op(a, b, c, d)
					w.simd(vF32Add)
				})
			}
		}
	})
	return f
}
