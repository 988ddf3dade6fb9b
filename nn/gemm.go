package nn

// The engine's own GEMM: the GotoBLAS/BLIS scheme in Go. B is packed in
// kc×nc blocks into column panels nr wide, A in mc×kc blocks into row panels
// mr high (with alpha folded in), and a register-blocked micro-kernel
// multiplies one A panel by one B panel into an mr×nr tile of C. Transposes
// cost nothing extra: they only change how the packing reads its source.
// Edge tiles are computed into a scratch tile and the valid part added.

const (
	gemmKC = 256
	gemmMC = 96  // a multiple of every mr in use
	gemmNC = 512 // a multiple of every nr in use
)

// microKernel adds the product of a packed mr×k A panel (a[p*mr+i]) and a
// packed k×nr B panel (b[p*nr+j]) into the mr×nr tile c with row stride ldc.
type microKernel func(k int, a, b, c []float32, ldc int)

// GoKernel is the portable Kernel: pure Go, one goroutine, no allocation
// after its first call at a given size. Not safe for concurrent use; give
// each Runner its own (NewKernel does).
type GoKernel struct {
	mr, nr int
	micro  microKernel
	pa, pb []float32
	tile   []float32
}

// NewGoKernel returns the portable pure-Go kernel.
func NewGoKernel() *GoKernel {
	return &GoKernel{mr: 4, nr: 4, micro: micro4x4}
}

func (g *GoKernel) Gemm(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	gemmCheck(transA, transB, m, n, k, a, lda, b, ldb, c, ldc)
	if m == 0 || n == 0 {
		return
	}
	scaleC(m, n, beta, c, ldc)
	if k == 0 || alpha == 0 {
		return
	}
	mr, nr := g.mr, g.nr
	if len(g.pa) < gemmMC*gemmKC {
		g.pa = make([]float32, gemmMC*gemmKC)
		g.pb = make([]float32, gemmKC*gemmNC)
		g.tile = make([]float32, mr*nr)
	}
	for jc := 0; jc < n; jc += gemmNC {
		nc := min(gemmNC, n-jc)
		for pc := 0; pc < k; pc += gemmKC {
			kc := min(gemmKC, k-pc)
			packB(g.pb, transB, b, ldb, pc, jc, kc, nc, nr)
			for ic := 0; ic < m; ic += gemmMC {
				mc := min(gemmMC, m-ic)
				packA(g.pa, transA, a, lda, ic, pc, mc, kc, mr, alpha)
				for jr := 0; jr < nc; jr += nr {
					bp := g.pb[jr*kc : (jr+nr)*kc]
					w := min(nr, nc-jr)
					for ir := 0; ir < mc; ir += mr {
						ap := g.pa[ir*kc : (ir+mr)*kc]
						h := min(mr, mc-ir)
						ci := (ic+ir)*ldc + jc + jr
						if h == mr && w == nr {
							g.micro(kc, ap, bp, c[ci:], ldc)
							continue
						}
						clear(g.tile)
						g.micro(kc, ap, bp, g.tile, nr)
						for i := 0; i < h; i++ {
							row := c[ci+i*ldc : ci+i*ldc+w]
							for j, v := range g.tile[i*nr : i*nr+w] {
								row[j] += v
							}
						}
					}
				}
			}
		}
	}
}

// scaleC sets C = beta*C, treating beta == 0 as an overwrite.
func scaleC(m, n int, beta float32, c []float32, ldc int) {
	if beta == 1 {
		return
	}
	for i := 0; i < m; i++ {
		row := c[i*ldc : i*ldc+n]
		if beta == 0 {
			clear(row)
			continue
		}
		for j := range row {
			row[j] *= beta
		}
	}
}

// packA copies the mc×kc block of op(A) at (ic, pc), times alpha, into
// panels of mr rows: panel r holds element (i, p) at r*mr*kc + p*mr + i.
// Rows past mc are zero.
func packA(dst []float32, trans bool, a []float32, lda, ic, pc, mc, kc, mr int, alpha float32) {
	for r := 0; r < mc; r += mr {
		panel := dst[r*kc : (r+mr)*kc]
		h := min(mr, mc-r)
		if h < mr {
			clear(panel)
		}
		for i := 0; i < h; i++ {
			row := ic + r + i
			if trans {
				for p := 0; p < kc; p++ {
					panel[p*mr+i] = alpha * a[(pc+p)*lda+row]
				}
			} else {
				src := a[row*lda+pc : row*lda+pc+kc]
				for p, v := range src {
					panel[p*mr+i] = alpha * v
				}
			}
		}
	}
}

// packB copies the kc×nc block of op(B) at (pc, jc) into panels of nr
// columns: panel q holds element (p, j) at q*nr*kc + p*nr + j. Columns past
// nc are zero.
func packB(dst []float32, trans bool, b []float32, ldb, pc, jc, kc, nc, nr int) {
	for q := 0; q < nc; q += nr {
		panel := dst[q*kc : (q+nr)*kc]
		w := min(nr, nc-q)
		if w < nr {
			clear(panel)
		}
		if trans {
			for j := 0; j < w; j++ {
				src := b[(jc+q+j)*ldb+pc : (jc+q+j)*ldb+pc+kc]
				for p, v := range src {
					panel[p*nr+j] = v
				}
			}
			continue
		}
		for p := 0; p < kc; p++ {
			copy(panel[p*nr:p*nr+w], b[(pc+p)*ldb+jc+q:])
		}
	}
}

// micro4x4 is the portable micro-kernel: sixteen accumulators, which Go
// keeps in registers on amd64 and wasm alike.
func micro4x4(k int, a, b, c []float32, ldc int) {
	var c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33 float32
	a, b = a[:4*k], b[:4*k]
	for p := 0; p+4 <= len(a); p += 4 {
		av := a[p : p+4 : p+4]
		bv := b[p : p+4 : p+4]
		a0, a1, a2, a3 := av[0], av[1], av[2], av[3]
		b0, b1, b2, b3 := bv[0], bv[1], bv[2], bv[3]
		c00 += a0 * b0
		c01 += a0 * b1
		c02 += a0 * b2
		c03 += a0 * b3
		c10 += a1 * b0
		c11 += a1 * b1
		c12 += a1 * b2
		c13 += a1 * b3
		c20 += a2 * b0
		c21 += a2 * b1
		c22 += a2 * b2
		c23 += a2 * b3
		c30 += a3 * b0
		c31 += a3 * b1
		c32 += a3 * b2
		c33 += a3 * b3
	}
	r := c[0:4:4]
	r[0] += c00
	r[1] += c01
	r[2] += c02
	r[3] += c03
	r = c[ldc : ldc+4 : ldc+4]
	r[0] += c10
	r[1] += c11
	r[2] += c12
	r[3] += c13
	r = c[2*ldc : 2*ldc+4 : 2*ldc+4]
	r[0] += c20
	r[1] += c21
	r[2] += c22
	r[3] += c23
	r = c[3*ldc : 3*ldc+4 : 3*ldc+4]
	r[0] += c30
	r[1] += c31
	r[2] += c32
	r[3] += c33
}

// gemmCheck panics on arguments that are a programmer's error: negative
// sizes, strides shorter than a row, slices too short.
func gemmCheck(transA, transB bool, m, n, k int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int) {
	if m < 0 || n < 0 || k < 0 {
		panic("nn: Gemm: negative dimension")
	}
	ar, ac := m, k
	if transA {
		ar, ac = k, m
	}
	br, bc := k, n
	if transB {
		br, bc = n, k
	}
	if lda < max(1, ac) || ldb < max(1, bc) || ldc < max(1, n) {
		panic("nn: Gemm: bad leading dimension")
	}
	if (ar > 0 && len(a) < (ar-1)*lda+ac) || (br > 0 && len(b) < (br-1)*ldb+bc) || (m > 0 && len(c) < (m-1)*ldc+n) {
		panic("nn: Gemm: slice too short")
	}
}
