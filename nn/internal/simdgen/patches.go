package simdgen

// patches emits im2col: for a src of h×w×c floats and each of the oh×ow
// positions of a kh×kw window moved with stride, padded by padT above and
// padL to the left, the window's values (zeros outside src) as one row of
// col. A window row inside src is one contiguous run of kw*c floats.
func patches() *fn {
	f := &fn{name: "patches"}
	w := &f.code
	var (
		src, h, wd, c, oh, ow, kh, kw, stride, padT, padL, col = li(0), li(1), li(2), li(3), li(4), li(5), li(6), li(7), li(8), li(9), li(10), li(11)
		oy, ox, ky, kx, iy, ix0, run, s, end, rowBytes, ix     = li(12), li(13), li(14), li(15), li(16), li(17), li(18), li(19), li(20), li(21), li(22)
		inside                                                 = li(23)
	)
	w.loadArgs(src, h, wd, c, oh, ow, kh, kw, stride, padT, padL, col)
	// run = kw*c floats; rowBytes = w*c*4
	w.get(kw)
	w.get(c)
	w.op(opI32Mul)
	w.set(run)
	w.get(wd)
	w.get(c)
	w.op(opI32Mul)
	w.i32(2)
	w.op(opI32Shl)
	w.set(rowBytes)
	w.forUp(oy, 0, oh, 1, func() {
		w.forUp(ox, 0, ow, 1, func() {
			// ix0 = ox*stride - padL; inside = ix0 >= 0 && ix0+kw <= w
			w.get(ox)
			w.get(stride)
			w.op(opI32Mul)
			w.get(padL)
			w.op(opI32Sub)
			w.set(ix0)
			w.get(ix0)
			w.i32(0)
			w.op(opI32GeS)
			w.get(ix0)
			w.get(kw)
			w.op(opI32Add)
			w.get(wd)
			w.op(0x4c) // i32.le_s
			w.op(opI32And)
			w.set(inside)
			w.forUp(ky, 0, kh, 1, func() {
				// iy = oy*stride - padT + ky
				w.get(oy)
				w.get(stride)
				w.op(opI32Mul)
				w.get(padT)
				w.op(opI32Sub)
				w.get(ky)
				w.op(opI32Add)
				w.set(iy)
				w.ifThen(func() { // iy < 0 || iy >= h (unsigned compare does both)
					w.get(iy)
					w.get(h)
					w.op(opI32GeU)
				}, func() {
					w.zeroRun(col, run, end)
				}, func() {
					w.ifThen(func() { w.get(inside) }, func() {
						// s = src + (iy*w + ix0)*c*4
						w.get(src)
						w.get(iy)
						w.get(rowBytes)
						w.op(opI32Mul)
						w.op(opI32Add)
						w.get(ix0)
						w.get(c)
						w.op(opI32Mul)
						w.i32(2)
						w.op(opI32Shl)
						w.op(opI32Add)
						w.set(s)
						w.copyRun(col, s, run, end)
					}, func() {
						w.forUp(kx, 0, kw, 1, func() {
							w.get(ix0)
							w.get(kx)
							w.op(opI32Add)
							w.set(ix)
							w.ifThen(func() { w.get(ix); w.get(wd); w.op(opI32GeU) }, func() {
								w.zeroRun(col, c, end)
							}, func() {
								w.get(src)
								w.get(iy)
								w.get(rowBytes)
								w.op(opI32Mul)
								w.op(opI32Add)
								w.get(ix)
								w.get(c)
								w.op(opI32Mul)
								w.i32(2)
								w.op(opI32Shl)
								w.op(opI32Add)
								w.set(s)
								w.copyRun(col, s, c, end)
							})
						})
					})
				})
			})
		})
	})
	return f
}
