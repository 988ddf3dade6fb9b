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

// patches1 emits im2col for the common one-channel case, a 3×3 window at
// stride 1 (a first layer's input, a last layer's gradient), where the
// general loop spends its time deciding, not copying: a window inside the
// image is three vector copies, each one float too long (into the next
// row of the patch, written next; the last patch, and a window whose last
// read would pass the image's end, take the careful path), and every
// other window nine checked scalar copies.
// patches1(src, h, w, oh, ow, padT, padL, col).
func patches1() *fn {
	f := &fn{name: "patches1"}
	w := &f.code
	var (
		src, h, wd, oh, ow, padT, padL, col = li(0), li(1), li(2), li(3), li(4), li(5), li(6), li(7)
		oy, ox, iy0, ix0, s, last, ky, kx   = li(8), li(9), li(10), li(11), li(12), li(13), li(14), li(15)
		iy, ix, rowBytes, three             = li(16), li(17), li(18), li(19)
	)
	w.loadArgs(src, h, wd, oh, ow, padT, padL, col)
	w.i32(3)
	w.set(three) // forUp's bound is a local
	w.get(wd)
	w.i32(2)
	w.op(opI32Shl)
	w.set(rowBytes)
	// last = col + (oh*ow - 1)*36: the last patch
	w.get(col)
	w.get(oh)
	w.get(ow)
	w.op(opI32Mul)
	w.i32(1)
	w.op(opI32Sub)
	w.i32(36)
	w.op(opI32Mul)
	w.op(opI32Add)
	w.set(last)
	w.windows3(oy, oh, ox, ow, iy0, padT, ix0, padL, func() {
		w.ifThen(func() {
			// inside && col < last && (ix0+4 <= w || iy0+3 < h)
			w.windowInside3(iy0, ix0, h, wd)
			w.get(col)
			w.get(last)
			w.op(opI32LtU)
			w.op(opI32And)
			w.get(ix0)
			w.i32(4)
			w.op(opI32Add)
			w.get(wd)
			w.op(0x4c) // i32.le_s
			w.get(iy0)
			w.i32(3)
			w.op(opI32Add)
			w.get(h)
			w.op(opI32LtS)
			w.op(0x72) // i32.or
			w.op(opI32And)
		}, func() {
			// s = src + (iy0*w + ix0)*4
			w.get(src)
			w.pixel(iy0, wd, ix0)
			w.i32(2)
			w.op(opI32Shl)
			w.op(opI32Add)
			w.set(s)
			for r := 0; r < 3; r++ {
				w.vstore(col, 12*r, func() { w.vload(s, 0) })
				w.addLocal(s, rowBytes)
			}
		}, func() {
			w.taps3(iy0, ix0, ky, kx, iy, ix, three, h, wd, func(inside func()) {
				// col[(ky*3+kx)] = inside ? src[iy*w+ix] : 0
				w.get(col)
				w.get(ky)
				w.i32(3)
				w.op(opI32Mul)
				w.get(kx)
				w.op(opI32Add)
				w.i32(2)
				w.op(opI32Shl)
				w.op(opI32Add)
				inside()
				w.op(opIf, typeF32)
				w.get(src)
				w.pixel(iy, wd, ix)
				w.i32(2)
				w.op(opI32Shl)
				w.op(opI32Add)
				w.op(opF32Load)
				w.memarg(2, 0)
				w.op(opElse)
				w.f32(0)
				w.op(opEnd)
				w.op(opF32Store)
				w.memarg(2, 0)
			})
		})
		w.addTo(col, 36)
	})
	return f
}

// sumTaps3 emits the last step of a one-filter 3×3 stride-1 convolution by
// taps (see nn's forwardTaps): y[oy,ox] = Σ over the window's taps inside
// the image of z[pixel under the tap][tap], z holding nine values a pixel.
// A window inside the image is nine loads at fixed offsets from three row
// pointers; a window at the border checks each tap.
// sumTaps3(z, y, h, w, oh, ow, padT, padL).
func sumTaps3() *fn {
	f := &fn{name: "sumTaps3"}
	w := &f.code
	var (
		z, y, h, wd, oh, ow, padT, padL = li(0), li(1), li(2), li(3), li(4), li(5), li(6), li(7)
		oy, ox, iy0, ix0, r0, rowStep   = li(8), li(9), li(10), li(11), li(12), li(13)
		ky, kx, iy, ix, three           = li(14), li(15), li(16), li(17), li(18)
		sum                             = lf32(0)
	)
	w.loadArgs(z, y, h, wd, oh, ow, padT, padL)
	w.i32(3)
	w.set(three) // forUp's bound is a local
	// rowStep = (w*9 + 3)*4 bytes: one image row down, three taps on
	w.get(wd)
	w.i32(9)
	w.op(opI32Mul)
	w.i32(3)
	w.op(opI32Add)
	w.i32(2)
	w.op(opI32Shl)
	w.set(rowStep)
	w.windows3(oy, oh, ox, ow, iy0, padT, ix0, padL, func() {
		w.get(y) // the store's address, under the sum
		w.ifThen(func() { w.windowInside3(iy0, ix0, h, wd) }, func() {
			// r0 = z + (iy0*w + ix0)*36: tap (0,0) of the window's corner
			w.get(z)
			w.pixel(iy0, wd, ix0)
			w.i32(36)
			w.op(opI32Mul)
			w.op(opI32Add)
			w.set(r0)
			// Tap (ky,kx) of the pixel kx to the right: 40*kx bytes on.
			for ky := 0; ky < 3; ky++ {
				for kx := 0; kx < 3; kx++ {
					w.get(r0)
					w.op(opF32Load)
					w.memarg(2, 40*kx)
					if ky+kx > 0 {
						w.op(opF32Add)
					}
				}
				if ky < 2 {
					w.addLocal(r0, rowStep)
				}
			}
			w.set(sum)
		}, func() {
			w.f32(0)
			w.set(sum)
			w.taps3(iy0, ix0, ky, kx, iy, ix, three, h, wd, func(inside func()) {
				w.ifThen(inside, func() {
					// sum += z[(iy*w + ix)*9 + ky*3 + kx]
					w.get(sum)
					w.get(z)
					w.pixel(iy, wd, ix)
					w.i32(9)
					w.op(opI32Mul)
					w.get(ky)
					w.i32(3)
					w.op(opI32Mul)
					w.op(opI32Add)
					w.get(kx)
					w.op(opI32Add)
					w.i32(2)
					w.op(opI32Shl)
					w.op(opI32Add)
					w.op(opF32Load)
					w.memarg(2, 0)
					w.op(opF32Add)
					w.set(sum)
				}, nil)
			})
		})
		w.get(sum)
		w.op(opF32Store)
		w.memarg(2, 0)
		w.addTo(y, 4)
	})
	return f
}

// The one-channel 3×3 kernels (patches1, sumTaps3) walk the same windows.

// windows3 emits body() for every output pixel oy < oh, ox < ow, with
// local iy0, ix0 = its window's top-left input pixel (oy-padT, ox-padL).
func (w *asm) windows3(oy, oh, ox, ow, iy0, padT, ix0, padL int, body func()) {
	w.forUp(oy, 0, oh, 1, func() {
		w.get(oy)
		w.get(padT)
		w.op(opI32Sub)
		w.set(iy0)
		w.forUp(ox, 0, ow, 1, func() {
			w.get(ox)
			w.get(padL)
			w.op(opI32Sub)
			w.set(ix0)
			body()
		})
	})
}

// windowInside3 pushes (i32) whether the 3×3 window at iy0, ix0 lies
// inside the h×w image.
func (w *asm) windowInside3(iy0, ix0, h, wd int) {
	w.get(iy0)
	w.i32(0)
	w.op(opI32GeS)
	w.get(iy0)
	w.i32(3)
	w.op(opI32Add)
	w.get(h)
	w.op(0x4c) // i32.le_s
	w.op(opI32And)
	w.get(ix0)
	w.i32(0)
	w.op(opI32GeS)
	w.op(opI32And)
	w.get(ix0)
	w.i32(3)
	w.op(opI32Add)
	w.get(wd)
	w.op(0x4c)
	w.op(opI32And)
}

// taps3 emits body() for each tap ky, kx < 3 of the window at iy0, ix0,
// with local iy, ix its input pixel; inside pushes (i32) whether that
// pixel is in the h×w image. three is a local holding 3 (forUp's bound).
func (w *asm) taps3(iy0, ix0, ky, kx, iy, ix, three, h, wd int, body func(inside func())) {
	inside := func() {
		w.get(iy)
		w.get(h)
		w.op(opI32LtU) // unsigned: also iy >= 0
		w.get(ix)
		w.get(wd)
		w.op(opI32LtU)
		w.op(opI32And)
	}
	w.forUp(ky, 0, three, 1, func() {
		w.get(iy0)
		w.get(ky)
		w.op(opI32Add)
		w.set(iy)
		w.forUp(kx, 0, three, 1, func() {
			w.get(ix0)
			w.get(kx)
			w.op(opI32Add)
			w.set(ix)
			body(inside)
		})
	})
}

// pixel pushes local iy*w + ix.
func (w *asm) pixel(iy, wd, ix int) {
	w.get(iy)
	w.get(wd)
	w.op(opI32Mul)
	w.get(ix)
	w.op(opI32Add)
}
