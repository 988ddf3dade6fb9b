package simdgen

// gemm emits the GEMM: each 4×8 tile of C is kept in eight v128
// accumulators for the whole k loop and written once: added to C, or, when
// store is set (the first K block of a product that overwrites C), stored
// over it, which spares clearing C first and reading it back.
func gemm(relaxed bool) *fn {
	f := &fn{name: "gemm"}
	w := &f.code
	var (
		a, lda, b, c, ldc, m, n, k = li(0), li(1), li(2), li(3), li(4), li(5), li(6), li(7)
		i, j, p                    = li(8), li(9), li(10)
		ra                         = [4]int{li(11), li(12), li(13), li(14)}
		pb, pc, store              = li(15), li(16), li(17)
		acc                        = lv(0) // acc..acc+7
		b0, b1, av                 = lv(8), lv(9), lv(10)
	)
	w.loadArgs(a, lda, b, c, ldc, m, n, k, store)
	for _, l := range []int{lda, ldc} { // strides in bytes
		w.bytesOf(l)
	}
	w.forUp(i, 0, m, 4, func() {
		w.forUp(j, 0, n, 8, func() {
			for r := 0; r < 8; r++ {
				w.zero()
				w.set(acc + r)
			}
			// ra[r] = a + (i+r)*lda
			w.get(a)
			w.get(i)
			w.get(lda)
			w.op(opI32Mul)
			w.op(opI32Add)
			w.tee(ra[0])
			for _, l := range ra[1:] {
				w.get(lda)
				w.op(opI32Add)
				w.tee(l)
			}
			w.set(ra[3])
			// pb = b + j*k*4: the panel of columns j..j+7
			w.get(b)
			w.get(j)
			w.get(k)
			w.op(opI32Mul)
			w.i32(2)
			w.op(opI32Shl)
			w.op(opI32Add)
			w.set(pb)
			w.get(k)
			w.set(p)
			w.while(func() { w.get(p); w.op(opI32Eqz) }, func() {
				w.vload(pb, 0)
				w.set(b0)
				w.vload(pb, 16)
				w.set(b1)
				for r := 0; r < 4; r++ {
					w.get(ra[r])
					w.simd(vLoad32Splat)
					w.memarg(2, 0)
					w.set(av)
					for h, bv := range []int{b0, b1} {
						if relaxed { // acc = a*b + acc, fused
							w.get(av)
							w.get(bv)
							w.get(acc + 2*r + h)
							w.simd(vRelaxedMadd)
						} else {
							w.get(acc + 2*r + h)
							w.get(av)
							w.get(bv)
							w.simd(vF32Mul)
							w.simd(vF32Add)
						}
						w.set(acc + 2*r + h)
					}
				}
				for _, l := range ra {
					w.addTo(l, 4)
				}
				w.addTo(pb, 32)
				w.addTo(p, -1)
			})
			// C tile += acc, row by row: pc = c + i*ldc + j*4
			w.get(c)
			w.get(i)
			w.get(ldc)
			w.op(opI32Mul)
			w.op(opI32Add)
			w.get(j)
			w.i32(2)
			w.op(opI32Shl)
			w.op(opI32Add)
			w.set(pc)
			w.ifThen(func() { w.get(store) }, func() {
				for r := 0; r < 4; r++ {
					for h := 0; h < 2; h++ {
						w.vstore(pc, 16*h, func() { w.get(acc + 2*r + h) })
					}
					w.addLocal(pc, ldc)
				}
			}, func() {
				for r := 0; r < 4; r++ {
					for h := 0; h < 2; h++ {
						w.get(pc)
						w.vload(pc, 16*h)
						w.get(acc + 2*r + h)
						w.simd(vF32Add)
						w.simd(vStore)
						w.memarg(2, 16*h)
					}
					w.addLocal(pc, ldc)
				}
			})
		})
	})
	return f
}
