package simdgen

// Max pooling (window size, stride size, TensorFlow's padding) and nearest
// upsampling on NHWC data with c a multiple of 4, four channels at a time.

// addr3 pushes base + ((row*w + col)*c + ch)*4 from locals.
func (w *asm) addr3(base, row, wd, col, c, ch int) {
	w.get(base)
	w.get(row)
	w.get(wd)
	w.op(opI32Mul)
	w.get(col)
	w.op(opI32Add)
	w.get(c)
	w.op(opI32Mul)
	w.get(ch)
	w.op(opI32Add)
	w.i32(2)
	w.op(opI32Shl)
	w.op(opI32Add)
}

// window emits y0, y1, x0, x1: the rows and columns of input that output
// (oy, ox) pools, cut to the input.
func (w *asm) window(oy, ox, size, padT, padL, h, wd, y0, y1, x0, x1 int) {
	for _, d := range []struct{ o, pad, n, lo, hi int }{{oy, padT, h, y0, y1}, {ox, padL, wd, x0, x1}} {
		// lo = o*size - pad; hi = min(lo+size, n); lo = max(lo, 0)
		w.get(d.o)
		w.get(size)
		w.op(opI32Mul)
		w.get(d.pad)
		w.op(opI32Sub)
		w.set(d.lo)
		w.get(d.lo)
		w.get(size)
		w.op(opI32Add)
		w.set(d.hi)
		w.ifThen(func() { w.get(d.hi); w.get(d.n); w.op(0x4a) }, func() { // i32.gt_s
			w.get(d.n)
			w.set(d.hi)
		}, nil)
		w.ifThen(func() { w.get(d.lo); w.i32(0); w.op(opI32LtS) }, func() {
			w.i32(0)
			w.set(d.lo)
		}, nil)
	}
}

// blockPixel emits oy = iy*s + a, ox = ix*s + b: pixel (a, b) of input
// pixel (iy, ix)'s s×s block.
func (w *asm) blockPixel(iy, ix, a, b, s, oy, ox int) {
	for _, d := range [][3]int{{iy, a, oy}, {ix, b, ox}} {
		w.get(d[0])
		w.get(s)
		w.op(opI32Mul)
		w.get(d[1])
		w.op(opI32Add)
		w.set(d[2])
	}
}

// forWindow runs body for every (iy, ix) of the window [y0, y1) × [x0, x1),
// row by row.
func (w *asm) forWindow(y0, y1, x0, x1, iy, ix int, body func()) {
	w.get(y0)
	w.set(iy)
	w.while(func() { w.get(iy); w.get(y1); w.op(opI32GeS) }, func() {
		w.get(x0)
		w.set(ix)
		w.while(func() { w.get(ix); w.get(x1); w.op(opI32GeS) }, func() {
			body()
			w.addTo(ix, 1)
		})
		w.addTo(iy, 1)
	})
}

// maxPool emits the forward pass:
// maxPool(x, h, w, c, oh, ow, size, padT, padL, y).
func maxPool() *fn {
	f := &fn{name: "maxPool"}
	w := &f.code
	var (
		x, h, wd, c, oh, ow, size, padT, padL, y = li(0), li(1), li(2), li(3), li(4), li(5), li(6), li(7), li(8), li(9)
		oy, ox, y0, y1, x0, x1, ch, iy, ix       = li(10), li(11), li(12), li(13), li(14), li(15), li(16), li(17), li(18)
		src, dst, pixel, row, end                = li(19), li(20), li(21), li(22), li(23)
		m                                        = lv(0)
	)
	w.loadArgs(x, h, wd, c, oh, ow, size, padT, padL, y)
	// pixel and row: one input pixel's and one input row's bytes.
	w.get(c)
	w.i32(2)
	w.op(opI32Shl)
	w.set(pixel)
	w.get(wd)
	w.get(pixel)
	w.op(opI32Mul)
	w.set(row)
	w.forUp(oy, 0, oh, 1, func() {
		w.forUp(ox, 0, ow, 1, func() {
			w.window(oy, ox, size, padT, padL, h, wd, y0, y1, x0, x1)
			// A whole 2×2 window (the models' every one but an odd
			// edge's): its four pixels at fixed offsets, no loops over
			// the window, no address arithmetic per channel. About twice
			// the general loop's speed (BenchmarkMaxPool in nn, under
			// scripts/wasmexec/go_js_wasm_exec_simd).
			full := func() {
				w.get(y1)
				w.get(y0)
				w.op(opI32Sub)
				w.i32(2)
				w.op(opI32Eq)
				w.get(x1)
				w.get(x0)
				w.op(opI32Sub)
				w.i32(2)
				w.op(opI32Eq)
				w.op(opI32And)
			}
			w.ifThen(full, func() {
				w.i32(0)
				w.set(ch)
				w.addr3(x, y0, wd, x0, c, ch)
				w.set(src)
				w.addr3(y, oy, ow, ox, c, ch)
				w.set(dst)
				w.endOf(end, dst, c)
				// load pushes the four channels at src plus the locals offs.
				load := func(offs ...int) {
					w.get(src)
					for _, o := range offs {
						w.get(o)
						w.op(opI32Add)
					}
					w.simd(vLoad)
					w.memarg(2, 0)
				}
				w.while(func() { w.get(dst); w.get(end); w.op(opI32GeU) }, func() {
					w.get(dst)
					load()
					load(pixel)
					w.simd(vF32Max)
					load(row)
					load(row, pixel)
					w.simd(vF32Max)
					w.simd(vF32Max)
					w.simd(vStore)
					w.memarg(2, 0)
					w.addTo(src, 16)
					w.addTo(dst, 16)
				})
			}, func() {
				w.forUp(ch, 0, c, 4, func() {
					w.addr3(x, y0, wd, x0, c, ch)
					w.simd(vLoad)
					w.memarg(2, 0)
					w.set(m)
					w.forWindow(y0, y1, x0, x1, iy, ix, func() {
						w.get(m)
						w.addr3(x, iy, wd, ix, c, ch)
						w.simd(vLoad)
						w.memarg(2, 0)
						w.simd(vF32Max)
						w.set(m)
					})
					w.addr3(y, oy, ow, ox, c, ch)
					w.get(m)
					w.simd(vStore)
					w.memarg(2, 0)
				})
			})
		})
	})
	return f
}

// maxPoolGrad emits the backward pass: each output's gradient goes to the
// first input (in row-major window order) equal to the output, as
// TensorFlow's MaxPoolGrad does. Windows do not overlap, so dx is written,
// not added to; the caller zeroes it first (for inputs no window covers).
// maxPoolGrad(x, y, dy, dx, h, w, c, oh, ow, size, padT, padL).
func maxPoolGrad() *fn {
	f := &fn{name: "maxPoolGrad"}
	w := &f.code
	var (
		x, y, dy, dx, h, wd, c, oh, ow, size, padT, padL = li(0), li(1), li(2), li(3), li(4), li(5), li(6), li(7), li(8), li(9), li(10), li(11)
		oy, ox, y0, y1, x0, x1, ch, iy, ix               = li(12), li(13), li(14), li(15), li(16), li(17), li(18), li(19), li(20)
		at                                               = li(21)
		m, g, taken, e                                   = lv(0), lv(1), lv(2), lv(3)
	)
	w.loadArgs(x, y, dy, dx, h, wd, c, oh, ow, size, padT, padL)
	w.forUp(oy, 0, oh, 1, func() {
		w.forUp(ox, 0, ow, 1, func() {
			w.window(oy, ox, size, padT, padL, h, wd, y0, y1, x0, x1)
			w.forUp(ch, 0, c, 4, func() {
				w.addr3(y, oy, ow, ox, c, ch)
				w.simd(vLoad)
				w.memarg(2, 0)
				w.set(m)
				w.addr3(dy, oy, ow, ox, c, ch)
				w.simd(vLoad)
				w.memarg(2, 0)
				w.set(g)
				w.zero()
				w.set(taken)
				w.forWindow(y0, y1, x0, x1, iy, ix, func() {
					// e = (x == m) &^ taken; dx = g & e; taken |= e
					w.addr3(x, iy, wd, ix, c, ch)
					w.simd(vLoad)
					w.memarg(2, 0)
					w.get(m)
					w.simd(vF32Eq)
					w.get(taken)
					w.simd(vAndNot)
					w.set(e)
					w.addr3(dx, iy, wd, ix, c, ch)
					w.set(at)
					w.vstore(at, 0, func() { w.get(g); w.get(e); w.simd(vAnd) })
					w.get(taken)
					w.get(e)
					w.simd(vOr)
					w.set(taken)
				})
			})
		})
	})
	return f
}

// upsample emits nearest upsampling by s: upsample(x, h, w, c, s, y).
func upsample() *fn {
	f := &fn{name: "upsample"}
	w := &f.code
	var (
		x, h, wd, c, s, y        = li(0), li(1), li(2), li(3), li(4), li(5)
		iy, ix, a, b, ch, oy, ox = li(6), li(7), li(8), li(9), li(10), li(11), li(12)
		ow, at                   = li(13), li(14)
		v                        = lv(0)
	)
	w.loadArgs(x, h, wd, c, s, y)
	w.get(wd)
	w.get(s)
	w.op(opI32Mul)
	w.set(ow)
	w.forUp(iy, 0, h, 1, func() {
		w.forUp(ix, 0, wd, 1, func() {
			w.forUp(ch, 0, c, 4, func() {
				w.addr3(x, iy, wd, ix, c, ch)
				w.simd(vLoad)
				w.memarg(2, 0)
				w.set(v)
				w.forUp(a, 0, s, 1, func() {
					w.forUp(b, 0, s, 1, func() {
						w.blockPixel(iy, ix, a, b, s, oy, ox)
						w.addr3(y, oy, ow, ox, c, ch)
						w.set(at)
						w.vstore(at, 0, func() { w.get(v) })
					})
				})
			})
		})
	})
	return f
}

// upsampleGrad emits the backward pass: each input's gradient is the sum
// over its s×s block. upsampleGrad(dy, h, w, c, s, dx).
func upsampleGrad() *fn {
	f := &fn{name: "upsampleGrad"}
	w := &f.code
	var (
		dy, h, wd, c, s, dx      = li(0), li(1), li(2), li(3), li(4), li(5)
		iy, ix, a, b, ch, oy, ox = li(6), li(7), li(8), li(9), li(10), li(11), li(12)
		ow, at                   = li(13), li(14)
		acc                      = lv(0)
	)
	w.loadArgs(dy, h, wd, c, s, dx)
	w.get(wd)
	w.get(s)
	w.op(opI32Mul)
	w.set(ow)
	w.forUp(iy, 0, h, 1, func() {
		w.forUp(ix, 0, wd, 1, func() {
			w.forUp(ch, 0, c, 4, func() {
				w.zero()
				w.set(acc)
				w.forUp(a, 0, s, 1, func() {
					w.forUp(b, 0, s, 1, func() {
						w.blockPixel(iy, ix, a, b, s, oy, ox)
						w.get(acc)
						w.addr3(dy, oy, ow, ox, c, ch)
						w.simd(vLoad)
						w.memarg(2, 0)
						w.simd(vF32Add)
						w.set(acc)
					})
				})
				w.addr3(dx, iy, wd, ix, c, ch)
				w.set(at)
				w.vstore(at, 0, func() { w.get(acc) })
			})
		})
	})
	return f
}
