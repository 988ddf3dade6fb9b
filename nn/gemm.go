package nn

// The engine's own GEMM, after the GotoBLAS/BLIS scheme: B is packed in
// kc×nc blocks into column panels nr wide, and a register-blocked
// micro-kernel multiplies mr rows of A by one B panel into an mr×nr tile of
// C. A is read in place, row by row (each step of the micro-kernel
// broadcasts one value from each of its mr rows): the big operand of a
// convolution is its im2col matrix, and copying it once more into packed
// panels cost more than the GEMM gained. A is packed only when it must be
// transposed, scaled, or padded (the last, short row tile). Edge tiles in n
// are computed into a scratch tile and the valid part added.

const (
	gemmKC = 320 // covers a 3x3x32 convolution's K in one block
	gemmMC = 96  // rows of a transposed A packed at a time; a multiple of every mr
	gemmNC = 512 // a multiple of every nr in use
)

// microShape is a micro-kernel and the tile it computes. A shape may also
// have a block kernel, which computes a whole region of full tiles in one
// call (the WebAssembly SIMD kernel, for which each call crosses into
// another module); micro then only serves the edge tiles.
type microShape struct {
	mr, nr int
	// cost is the time the micro-kernel takes for one row of A and one
	// step of k, relative to the kernel's other shapes (see shape).
	cost  int
	micro microKernel
	block blockKernel
}

// blockKernel adds A·B into C (or stores it over C, when store is set) for
// m rows (a multiple of mr) and n columns (a multiple of nr), A read in
// place with row stride lda, B packed in panels of nr columns.
type blockKernel func(m, n, k int, a []float32, lda int, b, c []float32, ldc int, store bool)

// microKernel adds the product of mr rows of A (row i at a[i*lda:], k
// values each) and a packed k×nr B panel (b[p*nr+j]) into the mr×nr tile c
// with row stride ldc.
type microKernel func(k int, a []float32, lda int, b, c []float32, ldc int)

// GoKernel is the portable Kernel: pure Go, one goroutine, no allocation
// after its first call at a given size. Not safe for concurrent use; give
// each Runner its own (NewKernel does).
type GoKernel struct {
	name string
	// shapes are the micro-kernels on offer (see shape).
	shapes []microShape
	// dot and axpy serve the matrix-vector products (n == 1 or m == 1),
	// where packing would cost more than it saves.
	dot  func(a, b []float32) float32
	axpy func(alpha float32, x, y []float32)
	// gemv and gevm, where set, do a whole matrix-vector product in one call
	// (alpha 1, contiguous vectors; gevm needs n%4 == 0).
	gemvFn func(a []float32, lda int, x, c []float32, ldc, m, k int)
	gevmFn func(a, b []float32, ldb int, c []float32, n, k int)
	// packBFn, where set, packs a B block (see packB);
	// packATFn a transposed A block (see packA).
	packBFn  func(dst []float32, trans bool, b []float32, ldb, pc, jc, kc, nc, nr int) bool
	packATFn func(dst []float32, a []float32, lda, ic, pc, mc, kc, mr int) bool
	pa, pb   []float32
	tile     []float32
	edge     []float32 // the block kernel's edge tiles
	vecX     []float32
	vecY     []float32
	tuning   Tuning
	// wino, where set, has the Winograd transforms for some arguments.
	wino    *winoFuncs
	winoTmp []float32 // the portable transforms' tiles
}

// NewGoKernel returns the portable pure-Go kernel.
func NewGoKernel() *GoKernel {
	return &GoKernel{name: "go", shapes: []microShape{{mr: 4, nr: 4, micro: micro4x4}}, dot: dotGo, axpy: axpyGo}
}

func (g *GoKernel) Gemm(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	gemmCheck(transA, transB, m, n, k, a, lda, b, ldb, c, ldc)
	if m == 0 || n == 0 {
		return
	}
	if k == 0 || alpha == 0 {
		scaleC(m, n, beta, c, ldc)
		return
	}
	if n == 1 {
		scaleC(m, n, beta, c, ldc)
		g.gemv(transA, transB, m, k, alpha, a, lda, b, ldb, c, ldc)
		return
	}
	if m == 1 && !transB {
		scaleC(m, n, beta, c, ldc)
		g.gevm(transA, n, k, alpha, a, lda, b, ldb, c)
		return
	}
	sh := g.shape(n)
	// A block kernel overwrites C's full tiles on the first K block, so
	// with beta 0 only the edge tiles (added from scratch) need clearing.
	store := beta == 0 && sh.block != nil
	if store {
		mFull, nFull := m-m%sh.mr, n-n%sh.nr
		if nFull < n {
			for i := 0; i < mFull; i++ {
				clear(c[i*ldc+nFull : i*ldc+n])
			}
		}
		for i := mFull; i < m; i++ {
			clear(c[i*ldc : i*ldc+n])
		}
	} else {
		scaleC(m, n, beta, c, ldc)
	}
	if len(g.pa) < gemmMC*gemmKC {
		g.pa = make([]float32, gemmMC*gemmKC)
		g.pb = make([]float32, gemmKC*gemmNC)
		g.tile = make([]float32, 16*16) // the largest tile in use
	}
	packed := transA || alpha != 1
	for jc := 0; jc < n; jc += gemmNC {
		nc := min(gemmNC, n-jc)
		for pc := 0; pc < k; pc += gemmKC {
			kc := min(gemmKC, k-pc)
			pb := g.pb
			switch {
			case !transB && n == sh.nr && ldb == n && sh.block == nil:
				// B is one panel already, in the packed layout (the
				// Winograd products' and a convolution's kernel, as many
				// columns as the tile): packing would copy it as it is.
				pb = b[pc*ldb : (pc+kc)*ldb]
			case g.packBFn == nil || !g.packBFn(g.pb, transB, b, ldb, pc, jc, kc, nc, sh.nr):
				packB(g.pb, transB, b, ldb, pc, jc, kc, nc, sh.nr)
			}
			if !packed {
				full := m - m%sh.mr
				g.tiles(sh, full, nc, kc, a[pc:], lda, false, pb, c[jc:], ldc, store && pc == 0)
				if full < m {
					packA(g.pa, false, a, lda, full, pc, m-full, kc, sh.mr, 1)
					g.tiles(sh, m-full, nc, kc, g.pa, kc, true, pb, c[full*ldc+jc:], ldc, false)
				}
				continue
			}
			for ic := 0; ic < m; ic += gemmMC {
				mc := min(gemmMC, m-ic)
				if !transA || alpha != 1 || g.packATFn == nil || !g.packATFn(g.pa, a, lda, ic, pc, mc, kc, sh.mr) {
					packA(g.pa, transA, a, lda, ic, pc, mc, kc, sh.mr, alpha)
				}
				g.tiles(sh, mc, nc, kc, g.pa, kc, true, pb, c[ic*ldc+jc:], ldc, store && pc == 0)
			}
		}
	}
}

// shape returns the micro-kernel for a product n columns wide: the one
// that takes the least time for a row of C, cost·⌈n/nr⌉, so that narrow
// outputs (a conv layer's 8 channels) waste few lanes; the first on a tie.
func (g *GoKernel) shape(n int) microShape {
	best := g.shapes[0]
	for _, s := range g.shapes[1:] {
		if s.cost*((n+s.nr-1)/s.nr) < best.cost*((n+best.nr-1)/best.nr) {
			best = s
		}
	}
	return best
}

// tiles runs the micro-kernel over an m×nc block of C (m rows of A at
// stride lda, the packed B block in pb, g.pb for a block kernel). When
// padded, A's rows are readable (and zero) up to the next multiple of mr.
// With store, the block kernel overwrites the full tiles (see Gemm).
func (g *GoKernel) tiles(sh microShape, m, nc, kc int, a []float32, lda int, padded bool, pb, c []float32, ldc int, store bool) {
	mr, nr := sh.mr, sh.nr
	if sh.block != nil && (m%mr == 0 || padded) {
		g.blockTiles(sh, m, nc, kc, a, lda, c, ldc, store)
		return
	}
	for ir := 0; ir < m; ir += mr {
		h := min(mr, m-ir)
		ap := a[ir*lda:]
		for jr := 0; jr < nc; jr += nr {
			bp := pb[jr*kc : (jr+nr)*kc]
			w := min(nr, nc-jr)
			ci := ir*ldc + jr
			if h == mr && w == nr {
				sh.micro(kc, ap, lda, bp, c[ci:], ldc)
				continue
			}
			clear(g.tile[:mr*nr])
			sh.micro(kc, ap, lda, bp, g.tile, nr)
			addTile(c[ci:], ldc, g.tile, nr, h, w)
		}
	}
}

// blockTiles hands everything to the block kernel, which works in whole
// tiles: the full tiles straight into C, the edges (the last rows, padded;
// the last columns, whose B panel is padded) into scratch, added after.
func (g *GoKernel) blockTiles(sh microShape, m, nc, kc int, a []float32, lda int, c []float32, ldc int, store bool) {
	mr, nr := sh.mr, sh.nr
	mFull, nFull := m-m%mr, nc-nc%nr
	if mFull > 0 && nFull > 0 {
		sh.block(mFull, nFull, kc, a, lda, g.pb, c, ldc, store)
	}
	if nFull < nc && mFull > 0 {
		s := grow(&g.edge, mFull*nr)
		sh.block(mFull, nr, kc, a, lda, g.pb[nFull*kc:], s, nr, true)
		addTile(c[nFull:], ldc, s, nr, mFull, nc-nFull)
	}
	if mFull < m {
		ncUp := (nc + nr - 1) / nr * nr
		s := grow(&g.edge, mr*ncUp)
		sh.block(mr, ncUp, kc, a[mFull*lda:], lda, g.pb, s, ncUp, true)
		addTile(c[mFull*ldc:], ldc, s, ncUp, m-mFull, nc)
	}
}

// addTile adds the h×w top-left corner of tile (row stride ts) into c.
func addTile(c []float32, ldc int, tile []float32, ts, h, w int) {
	for i := 0; i < h; i++ {
		row := c[i*ldc : i*ldc+w]
		for j, v := range tile[i*ts : i*ts+w] {
			row[j] += v
		}
	}
}

// gemv computes the m×1 product C += alpha*op(A)*op(B) for n == 1.
func (g *GoKernel) gemv(transA, transB bool, m, k int, alpha float32, a []float32, lda int, b []float32, ldb int, c []float32, ldc int) {
	x := b[:k]
	if !transB && ldb != 1 { // op(B) is a column of B: gather it
		x = grow(&g.vecX, k)
		for p := range x {
			x[p] = b[p*ldb]
		}
	}
	if !transA {
		if g.gemvFn != nil && alpha == 1 {
			g.gemvFn(a, lda, x, c, ldc, m, k)
			return
		}
		for i := 0; i < m; i++ {
			c[i*ldc] += alpha * g.dot(a[i*lda:i*lda+k], x)
		}
		return
	}
	// op(A) = Aᵀ with A k×m: C is a combination of A's rows.
	y := c[:m]
	if ldc != 1 {
		y = grow(&g.vecY, m)
		clear(y)
	}
	for p, xp := range x {
		g.axpy(alpha*xp, a[p*lda:p*lda+m], y)
	}
	if ldc != 1 {
		for i, v := range y {
			c[i*ldc] += v
		}
	}
}

// gevm computes the 1×n product C += alpha*op(A)*B for m == 1, as a
// combination of B's rows.
func (g *GoKernel) gevm(transA bool, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, c []float32) {
	if g.gevmFn != nil && alpha == 1 && (!transA || lda == 1) && n%4 == 0 {
		g.gevmFn(a, b, ldb, c, n, k)
		return
	}
	for p := 0; p < k; p++ {
		ap := a[p]
		if transA {
			ap = a[p*lda]
		}
		if ap != 0 {
			g.axpy(alpha*ap, b[p*ldb:p*ldb+n], c[:n])
		}
	}
}

// grow returns (*buf)[:n], reallocating only when it is too small.
func grow(buf *[]float32, n int) []float32 {
	if cap(*buf) < n {
		*buf = make([]float32, n)
	}
	return (*buf)[:n]
}

func dotGo(a, b []float32) float32 {
	b = b[:len(a)]
	var s0, s1, s2, s3 float32
	i := 0
	for ; i+4 <= len(a); i += 4 {
		av, bv := a[i:i+4:i+4], b[i:i+4:i+4]
		s0 += av[0] * bv[0]
		s1 += av[1] * bv[1]
		s2 += av[2] * bv[2]
		s3 += av[3] * bv[3]
	}
	for ; i < len(a); i++ {
		s0 += a[i] * b[i]
	}
	return (s0 + s1) + (s2 + s3)
}

func axpyGo(alpha float32, x, y []float32) {
	y = y[:len(x)]
	for i, v := range x {
		y[i] += alpha * v
	}
}

// scaleC sets C = beta*C, treating beta == 0 as an overwrite.
func scaleC(m, n int, beta float32, c []float32, ldc int) {
	if beta == 1 {
		return
	}
	if beta == 0 && ldc == n {
		clear(c[:m*n]) // one call, not one a row
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
// dst row by row (row i at dst[i*kc:]), zero-padding the rows up to the
// next multiple of mr so that the micro-kernel can read whole tiles.
func packA(dst []float32, trans bool, a []float32, lda, ic, pc, mc, kc, mr int, alpha float32) {
	rows := (mc + mr - 1) / mr * mr
	clear(dst[mc*kc : rows*kc])
	if trans { // op(A)'s rows are A's columns: read A's rows, write columns
		for p := 0; p < kc; p++ {
			src := a[(pc+p)*lda+ic : (pc+p)*lda+ic+mc]
			for i, v := range src {
				dst[i*kc+p] = alpha * v
			}
		}
		return
	}
	for i := 0; i < mc; i++ {
		src := a[(ic+i)*lda+pc : (ic+i)*lda+pc+kc]
		row := dst[i*kc : (i+1)*kc]
		if alpha == 1 {
			copy(row, src)
			continue
		}
		for p, v := range src {
			row[p] = alpha * v
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
		if w < nr {
			// A narrow last panel (a conv layer's 9 taps: one column)
			// copies element by element, without a slice per row: copy's
			// call and the slicing cost more than the copying.
			src := b[(pc)*ldb+jc+q : (pc+kc-1)*ldb+jc+q+w]
			for p := 0; p < kc; p++ {
				for j := 0; j < w; j++ {
					panel[p*nr+j] = src[p*ldb+j]
				}
			}
			continue
		}
		for p := 0; p < kc; p++ {
			copy(panel[p*nr:p*nr+w], b[(pc+p)*ldb+jc+q:])
		}
	}
}

// micro4x8 is the pure-Go partner of the SIMD kernel's 4×8 tile, for the
// edge tiles the block kernel leaves.
func micro4x8(k int, a []float32, lda int, b, c []float32, ldc int) {
	var acc [4][8]float32
	for i := range 4 {
		row := a[i*lda : i*lda+k]
		for p, av := range row {
			bv := b[8*p : 8*p+8 : 8*p+8]
			for j, x := range bv {
				acc[i][j] += av * x
			}
		}
	}
	for i := range 4 {
		r := c[i*ldc : i*ldc+8]
		for j, v := range acc[i] {
			r[j] += v
		}
	}
}

// micro4x4 is the portable micro-kernel: sixteen accumulators, which Go
// keeps in registers on amd64 and wasm alike.
func micro4x4(k int, a []float32, lda int, b, c []float32, ldc int) {
	var c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33 float32
	a0s, a1s, a2s, a3s := a[:k], a[lda:lda+k], a[2*lda:2*lda+k], a[3*lda:3*lda+k]
	b = b[:4*k]
	for p := range a0s {
		bv := b[4*p : 4*p+4 : 4*p+4]
		a0, a1, a2, a3 := a0s[p], a1s[p], a2s[p], a3s[p]
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
