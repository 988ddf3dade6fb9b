package nn

// Winograd's minimal filtering F(2×2, 3×3) (Lavin and Gray, "Fast
// Algorithms for Convolutional Neural Networks", 2015) for 3×3, stride-1
// convolutions. The output is cut into 2×2 tiles; tile t reads the 4×4
// input patch d under it and
//
//	y = Aᵀ [U ⊙ (Bᵀ d B)] A,   U = G g Gᵀ,
//
// per pair of channels, where ⊙ multiplies the 16 transformed positions
// one by one. Summed over the input channels, each position is a GEMM:
// (tiles × cin)·(cin × cout), 16 of them, with 16·cin·cout multiplies per
// tile where im2col spends 36·cin·cout. They go through Kernel.Gemm, so
// each kernel's fast GEMM does them; the transforms, additions only, are
// Kernel methods too (AVX2 assembly natively, the WebAssembly SIMD
// module's in browsers, portable Go elsewhere, where they cost more than
// the GEMMs save: see Tuning).
//
// The backward pass is the same product's adjoint: with Z = A dz Aᵀ for
// each 2×2 tile of the output's gradient,
//
//	dx (tile's 4×4, added where tiles overlap) = B [Z·Uᵀ] Bᵀ
//	dW = Gᵀ [Σ over tiles of (Bᵀ d B)ᵀ·Z] G
//
// again 16 GEMMs each, and the input's transform is the forward pass's.
//
// Tiles run over the whole batch (tile t is image t/(th·tw)) in chunks of
// winoChunk(), so the transformed operands stay in cache whatever the
// image's size.
//
// Transformed operands are position-major: position p (4i+j of the 4×4)
// of chunk tile k, channel c, is at v[p·pos + k·C + c], pos = winoPos(nt,
// C) ≥ nt·C, so that each position's matrix is one row-major block.

// The transforms (Lavin and Gray's):
//
//	Bᵀ = [1 0 -1 0; 0 1 1 0; 0 -1 1 0; 0 1 0 -1]
//	G  = [1 0 0; ½ ½ ½; ½ -½ ½; 0 0 1]
//	Aᵀ = [1 1 1 0; 0 1 -1 -1]

// winoTarget is the size, in floats, the transformed input and output of
// one chunk of tiles aim for together.
const winoTarget = 1 << 17

// WinogradTiles is the geometry of F(2×2, 3×3)'s transforms (see the
// Kernel's Winograd methods) over TH rows of TW tiles of one NHWC image of
// C channels: tile (ty, tx) covers the 4×4 pixels from row 2ty, column 2tx
// of the (padded) input and the 2×2 from row 2ty, column 2tx of the
// output, rows Stride floats apart. Its transformed values are tile K0 +
// ty·TW + tx of 16 matrices Pos floats apart: position p's channels at
// p·Pos + (K0 + ty·TW + tx)·C.
type WinogradTiles struct {
	TH, TW, C int
	Stride    int
	K0, Pos   int
}

// winoFuncs are a kernel's own Winograd transforms (see the Kernel's
// methods); each reports false, having done nothing, for arguments it
// does not take.
type winoFuncs struct {
	in      func(src []float32, t WinogradTiles, v []float32) bool
	out     func(m []float32, t WinogradTiles, dst []float32) bool
	gradOut func(dz []float32, t WinogradTiles, m []float32) bool
	gradIn  func(q []float32, t WinogradTiles, dst []float32) bool
}

// check reports whether a vectorised transform takes t: channels a
// multiple of lanes, at least one tile. It panics when img (whose tiles
// are span×span pixels, two apart) or the transformed matrices at tr are
// too short.
func (t WinogradTiles) check(lanes, span int, img, tr []float32) bool {
	if t.C%lanes != 0 || t.TH <= 0 || t.TW <= 0 {
		return false
	}
	if len(img) < (2*t.TH+span-3)*t.Stride+(2*t.TW+span-2)*t.C || len(tr) < 15*t.Pos+(t.K0+t.TH*t.TW)*t.C {
		panic("nn: Winograd transform: slice too short")
	}
	return true
}

// winoEligible reports whether the layer is one F(2×2, 3×3) computes.
func (l *Conv2DLayer) winoEligible() bool { return l.KH == 3 && l.KW == 3 && l.Stride == 1 }

// winograd reports whether the layer runs by F(2×2, 3×3) under a tuning's
// minimum channel count (0: never).
func (l *Conv2DLayer) winograd(least int) bool {
	return least > 0 && l.winoEligible() && l.cin >= least && l.Filters >= least
}

// winoTiles is the number of 2×2 output tiles of one image: th rows of tw.
func (l *Conv2DLayer) winoTiles() (th, tw int) { return (l.oh + 1) / 2, (l.ow + 1) / 2 }

// winoRows is the number of rows of tiles transformed and multiplied at a
// time, over the whole batch (row r is row r%th of image r/th).
func (l *Conv2DLayer) winoRows(n int) int {
	th, tw := l.winoTiles()
	return min(n*th, max(1, winoTarget/(16*(l.cin+l.Filters)*tw)))
}

// winoScratch is the workspace Winograd's passes take for n samples: the
// transformed kernel and its gradient, the transformed input and output of
// a chunk, a padded strip of rows (for the input, or the output's edge),
// and a padded image for the input gradient.
func (l *Conv2DLayer) winoScratch(n int) int {
	th, tw := l.winoTiles()
	rows := l.winoRows(n)
	c := max(l.cin, l.Filters)
	strip := (2*min(rows, th) + 2) * (2*tw + 2) * c
	return 2*16*l.cin*l.Filters + 16*(winoPos(rows*tw, l.cin)+winoPos(rows*tw, l.Filters)) + strip + (2*th+2)*(2*tw+2)*l.cin
}

// winoBufs carves the workspace: the transformed kernel u and its gradient
// r, v and m for a chunk of rows, a strip and an image (see winoScratch).
func (l *Conv2DLayer) winoBufs(ws *Workspace, n int) (u, r, v, m, strip, img []float32) {
	cin, cout := l.cin, l.Filters
	th, tw := l.winoTiles()
	nt := l.winoRows(n) * tw
	buf := ws.floats(l.scratch(n))
	u, buf = buf[:16*cin*cout], buf[16*cin*cout:]
	r, buf = buf[:16*cin*cout], buf[16*cin*cout:]
	v, buf = buf[:16*winoPos(nt, cin)], buf[16*winoPos(nt, cin):]
	m, buf = buf[:16*winoPos(nt, cout)], buf[16*winoPos(nt, cout):]
	ns := (2*min(l.winoRows(n), th) + 2) * (2*tw + 2) * max(cin, cout)
	strip, img = buf[:ns], buf[ns:ns+(2*th+2)*(2*tw+2)*cin]
	return
}

// winoPos is the distance, in floats, between the 16 transformed matrices
// of a chunk of nt tiles of c channels: nt·c, rounded up to an odd number
// of 16-float (64-byte) cache lines. A multiple of 4 KiB (as nt·c often
// is) would put the transforms' 16 streams of stores into one set of the
// L1 cache and alias them in the store buffer: the input and
// output-gradient transforms took about 4 times as long with the SIMD
// kernel (node 20) and 3.5 to 14 times with AVX2
// (BenchmarkWinogradTransforms, packed against winoPos).
func winoPos(nt, c int) int {
	lines := (nt*c + 15) / 16
	return (lines | 1) * 16
}

// winoSpans calls f for each image's part of the tile rows [r0, r1): image
// s, its tile rows [ty0, ty1), and k0, the first tile's index in the chunk.
func (l *Conv2DLayer) winoSpans(r0, r1 int, f func(s, ty0, ty1, k0 int)) {
	th, tw := l.winoTiles()
	for r := r0; r < r1; {
		s, ty0 := r/th, r%th
		ty1 := min(th, ty0+r1-r)
		f(s, ty0, ty1, (r-r0)*tw)
		r += ty1 - ty0
	}
}

// winoPadded returns the input rows under tile rows [ty0, ty1) of image
// x (h×w×c) with the padding around it, top-left at padded row 2ty0: x
// itself where no padding falls inside, else a copy in strip. Its row
// stride is the second result.
func winoPadded(x []float32, h, w, c, padT, padL, ty0, ty1, tw int, strip []float32) ([]float32, int) {
	wp := 2*tw + 2
	rows := 2*(ty1-ty0) + 2
	if padL == 0 && wp == w && 2*ty0-padT >= 0 && 2*ty0-padT+rows <= h {
		o := (2*ty0 - padT) * w * c
		return x[o : o+rows*w*c], w * c
	}
	strip = strip[:rows*wp*c]
	for i := 0; i < rows; i++ {
		row := strip[i*wp*c : (i+1)*wp*c]
		iy := 2*ty0 + i - padT
		if iy < 0 || iy >= h {
			clear(row)
			continue
		}
		lo, hi := padL*c, min(wp, padL+w)*c
		clear(row[:lo])
		copy(row[lo:hi], x[iy*w*c:(iy*w+hi/c-padL)*c])
		clear(row[hi:])
	}
	return strip, wp * c
}

// forwardWinograd writes the pre-activations x·W into z by F(2×2, 3×3).
func (l *Conv2DLayer) forwardWinograd(ws *Workspace, x, z []float32, n int) {
	cin, cout := l.cin, l.Filters
	th, tw := l.winoTiles()
	u, _, v, m, strip, _ := l.winoBufs(ws, n)
	u = l.winoU(ws, u, true)
	inSize, outSize := l.h*l.w*cin, l.oh*l.ow*cout
	// Odd output sizes: the last row or column of tiles is cut, through strip.
	even := l.oh%2 == 0 && l.ow%2 == 0
	step := l.winoRows(n)
	for r0 := 0; r0 < n*th; r0 += step {
		r1 := min(n*th, r0+step)
		nt := (r1 - r0) * tw
		pv, pm := winoPos(nt, cin), winoPos(nt, cout)
		l.winoSpans(r0, r1, func(s, ty0, ty1, k0 int) {
			src, stride := winoPadded(x[s*inSize:(s+1)*inSize], l.h, l.w, cin, l.padT, l.padL, ty0, ty1, tw, strip)
			ws.Kernel.WinogradIn(src, WinogradTiles{TH: ty1 - ty0, TW: tw, C: cin, Stride: stride, K0: k0, Pos: pv}, v)
		})
		for p := 0; p < 16; p++ {
			ws.Kernel.Gemm(false, false, nt, cout, cin, 1, v[p*pv:p*pv+nt*cin], cin, u[p*cin*cout:(p+1)*cin*cout], cout,
				0, m[p*pm:p*pm+nt*cout], cout)
		}
		l.winoSpans(r0, r1, func(s, ty0, ty1, k0 int) {
			t := WinogradTiles{TH: ty1 - ty0, TW: tw, C: cout, Stride: l.ow * cout, K0: k0, Pos: pm}
			img := z[s*outSize : (s+1)*outSize]
			if even {
				ws.Kernel.WinogradOut(m, t, img[2*ty0*l.ow*cout:])
				return
			}
			t.Stride = 2 * tw * cout
			ws.Kernel.WinogradOut(m, t, strip)
			for oy := 2 * ty0; oy < min(l.oh, 2*ty1); oy++ {
				copy(img[oy*l.ow*cout:(oy+1)*l.ow*cout], strip[(oy-2*ty0)*t.Stride:])
			}
		})
	}
}

// backwardWinograd adds the weight gradient into dw and, unless dx is nil,
// overwrites dx with the input gradient, both by F(2×2, 3×3)'s adjoint.
func (l *Conv2DLayer) backwardWinograd(ws *Workspace, x, dz, dx, dw []float32, n int) {
	cin, cout := l.cin, l.Filters
	th, tw := l.winoTiles()
	u, r, v, m, strip, acc := l.winoBufs(ws, n)
	if dx != nil {
		u = l.winoU(ws, u, false)
	}
	clear(r)
	inSize, outSize := l.h*l.w*cin, l.oh*l.ow*cout
	even := l.oh%2 == 0 && l.ow%2 == 0
	wp := 2*tw + 2
	step := l.winoRows(n)
	for r0 := 0; r0 < n*th; r0 += step {
		r1 := min(n*th, r0+step)
		nt := (r1 - r0) * tw
		pv, pm := winoPos(nt, cin), winoPos(nt, cout)
		l.winoSpans(r0, r1, func(s, ty0, ty1, k0 int) {
			src, stride := winoPadded(x[s*inSize:(s+1)*inSize], l.h, l.w, cin, l.padT, l.padL, ty0, ty1, tw, strip)
			ws.Kernel.WinogradIn(src, WinogradTiles{TH: ty1 - ty0, TW: tw, C: cin, Stride: stride, K0: k0, Pos: pv}, v)
		})
		l.winoSpans(r0, r1, func(s, ty0, ty1, k0 int) {
			t := WinogradTiles{TH: ty1 - ty0, TW: tw, C: cout, Stride: l.ow * cout, K0: k0, Pos: pm}
			img := dz[s*outSize : (s+1)*outSize]
			if even {
				ws.Kernel.WinogradGradOut(img[2*ty0*l.ow*cout:], t, m)
				return
			}
			// The cut tiles' missing pixels count as zeros.
			t.Stride = 2 * tw * cout
			for i := 0; i < 2*(ty1-ty0); i++ {
				row := strip[i*t.Stride : (i+1)*t.Stride]
				if oy := 2*ty0 + i; oy < l.oh {
					copy(row, img[oy*l.ow*cout:(oy+1)*l.ow*cout])
					clear(row[l.ow*cout:])
				} else {
					clear(row)
				}
			}
			ws.Kernel.WinogradGradOut(strip, t, m)
		})
		for p := 0; p < 16; p++ {
			ws.Kernel.Gemm(true, false, cin, cout, nt, 1, v[p*pv:p*pv+nt*cin], cin, m[p*pm:p*pm+nt*cout], cout,
				1, r[p*cin*cout:(p+1)*cin*cout], cout)
		}
		if dx == nil {
			continue
		}
		// v is spent: it takes Z·Uᵀ.
		for p := 0; p < 16; p++ {
			ws.Kernel.Gemm(false, true, nt, cin, cout, 1, m[p*pm:p*pm+nt*cout], cout, u[p*cin*cout:(p+1)*cin*cout], cout,
				0, v[p*pv:p*pv+nt*cin], cin)
		}
		// Each image's gradient gathers in acc, padded, as its rows of
		// tiles come (they overlap), and is cut out of it after its last.
		l.winoSpans(r0, r1, func(s, ty0, ty1, k0 int) {
			if ty0 == 0 {
				clear(acc)
			}
			ws.Kernel.WinogradGradIn(v, WinogradTiles{TH: ty1 - ty0, TW: tw, C: cin, Stride: wp * cin, K0: k0, Pos: pv}, acc[2*ty0*wp*cin:])
			if ty1 == th {
				img := dx[s*inSize : (s+1)*inSize]
				for iy := 0; iy < l.h; iy++ {
					copy(img[iy*l.w*cin:(iy+1)*l.w*cin], acc[((iy+l.padT)*wp+l.padL)*cin:])
				}
			}
		})
	}
	winoKernelGrad(r, cin*cout, dw)
}

// cacheSize is the size of the transformed kernel, kept from the forward
// pass (which fills it) to the backward passes and later chunks, where
// the forward pass runs by Winograd.
func (l *Conv2DLayer) cacheSize(t Tuning) int {
	if l.winograd(t.WinogradFwd) {
		return 16 * l.cin * l.Filters
	}
	return 0
}

// winoU returns the transformed kernel: the workspace's cache when the
// layer has one, transformed anew unless the weights are those it holds
// (fill says whether this pass may fill it); else u, transformed.
func (l *Conv2DLayer) winoU(ws *Workspace, u []float32, fill bool) []float32 {
	cc := l.cin * l.Filters
	if len(ws.cache) == 16*cc && (ws.reuse || fill) {
		if !ws.reuse {
			winoKernel(l.kernel.Value, cc, ws.cache)
		}
		return ws.cache
	}
	winoKernel(l.kernel.Value, cc, u)
	return u
}

// winoKernel writes U = G g Gᵀ for each of the kernel's cc = cin·cout
// filters (w is [3, 3, cin, cout]): u[p·cc + f].
func winoKernel(w []float32, cc int, u []float32) {
	w, u = w[:9*cc], u[:16*cc]
	for f := 0; f < cc; f++ {
		var g [9]float32
		for t := range g {
			g[t] = w[t*cc+f]
		}
		// G·g: rows of g combined, for each column.
		var h [12]float32
		for kx := 0; kx < 3; kx++ {
			g0, g1, g2 := g[kx], g[3+kx], g[6+kx]
			h[kx], h[3+kx], h[6+kx], h[9+kx] = g0, 0.5*(g0+g1+g2), 0.5*(g0-g1+g2), g2
		}
		// (G·g)·Gᵀ: the same along each row.
		for a := 0; a < 4; a++ {
			g0, g1, g2 := h[3*a], h[3*a+1], h[3*a+2]
			u[(4*a)*cc+f] = g0
			u[(4*a+1)*cc+f] = 0.5 * (g0 + g1 + g2)
			u[(4*a+2)*cc+f] = 0.5 * (g0 - g1 + g2)
			u[(4*a+3)*cc+f] = g2
		}
	}
}

// winoKernelGrad adds Gᵀ R G, the gradient with respect to g of U = G g Gᵀ
// given R, the gradient with respect to U, into dw ([3, 3, cin, cout]).
// It runs along rows of up to 64 filters: going filter by filter, its
// reads of R's 16 positions, cc floats apart, fell in the same cache sets.
func winoKernelGrad(r []float32, cc int, dw []float32) {
	r, dw = r[:16*cc], dw[:9*cc]
	var h [12][64]float32
	for f0 := 0; f0 < cc; f0 += 64 {
		nf := min(64, cc-f0)
		// Gᵀ on each column of R, then on each row: Gᵀ·(r0, r1, r2, r3) =
		// (r0 + ½(r1+r2), ½(r1-r2), ½(r1+r2) + r3).
		for b := 0; b < 4; b++ {
			r0, r1 := r[b*cc+f0:][:nf], r[(4+b)*cc+f0:][:nf]
			r2, r3 := r[(8+b)*cc+f0:][:nf], r[(12+b)*cc+f0:][:nf]
			h0, h1, h2 := h[b][:nf], h[4+b][:nf], h[8+b][:nf]
			for i, a := range r0 {
				b, c, d := r1[i], r2[i], r3[i]
				h0[i], h1[i], h2[i] = a+0.5*(b+c), 0.5*(b-c), 0.5*(b+c)+d
			}
		}
		for ky := 0; ky < 3; ky++ {
			r0, r1, r2, r3 := h[4*ky][:nf], h[4*ky+1][:nf], h[4*ky+2][:nf], h[4*ky+3][:nf]
			d0, d1, d2 := dw[(3*ky)*cc+f0:][:nf], dw[(3*ky+1)*cc+f0:][:nf], dw[(3*ky+2)*cc+f0:][:nf]
			for i, a := range r0 {
				b, c, d := r1[i], r2[i], r3[i]
				d0[i] += a + 0.5*(b+c)
				d1[i] += 0.5 * (b - c)
				d2[i] += 0.5*(b+c) + d
			}
		}
	}
}

// winogradIn is the portable Kernel.WinogradIn; tmp holds 16·C floats.
func winogradIn(src []float32, t WinogradTiles, v, tmp []float32) {
	c, s := t.C, t.Pos
	tmp = tmp[:16*c]
	for ty := 0; ty < t.TH; ty++ {
		for tx := 0; tx < t.TW; tx++ {
			o := 2*ty*t.Stride + 2*tx*c
			// d·B, row by row: Bᵀ applied to the row's 4 pixels.
			for i := 0; i < 4; i++ {
				d := src[o+i*t.Stride : o+i*t.Stride+4*c]
				h := tmp[4*i*c:]
				winoBt(d[:c], d[c:2*c], d[2*c:3*c], d[3*c:], h[:c], h[c:2*c], h[2*c:3*c], h[3*c:4*c])
			}
			// Bᵀ·(d·B), column by column.
			k := (t.K0 + ty*t.TW + tx) * c
			for j := 0; j < 4; j++ {
				winoBt(tmp[j*c:(j+1)*c], tmp[(4+j)*c:(5+j)*c], tmp[(8+j)*c:(9+j)*c], tmp[(12+j)*c:(13+j)*c],
					v[j*s+k:j*s+k+c], v[(4+j)*s+k:(4+j)*s+k+c], v[(8+j)*s+k:(8+j)*s+k+c], v[(12+j)*s+k:(12+j)*s+k+c])
			}
		}
	}
}

// winogradOut is the portable Kernel.WinogradOut; tmp holds 8·C floats.
func winogradOut(m []float32, t WinogradTiles, dst, tmp []float32) {
	c, s := t.C, t.Pos
	tmp = tmp[:8*c]
	for ty := 0; ty < t.TH; ty++ {
		for tx := 0; tx < t.TW; tx++ {
			k := (t.K0 + ty*t.TW + tx) * c
			// m·A, row by row: Aᵀ applied to the row's 4 values.
			for i := 0; i < 4; i++ {
				o := 4*i*s + k
				winoAt(m[o:o+c], m[o+s:o+s+c], m[o+2*s:o+2*s+c], m[o+3*s:o+3*s+c], tmp[2*i*c:(2*i+1)*c], tmp[(2*i+1)*c:(2*i+2)*c])
			}
			// Aᵀ·(m·A), column by column.
			o := 2*ty*t.Stride + 2*tx*c
			for j := 0; j < 2; j++ {
				winoAt(tmp[j*c:(j+1)*c], tmp[(2+j)*c:(3+j)*c], tmp[(4+j)*c:(5+j)*c], tmp[(6+j)*c:(7+j)*c],
					dst[o+j*c:o+(j+1)*c], dst[o+t.Stride+j*c:o+t.Stride+(j+1)*c])
			}
		}
	}
}

// winogradGradOut is the portable Kernel.WinogradGradOut; tmp holds 8·C
// floats.
func winogradGradOut(dz []float32, t WinogradTiles, m, tmp []float32) {
	c, s := t.C, t.Pos
	tmp = tmp[:8*c]
	for ty := 0; ty < t.TH; ty++ {
		for tx := 0; tx < t.TW; tx++ {
			// dz·Aᵀ, row by row: A applied to the row's 2 pixels.
			o := 2*ty*t.Stride + 2*tx*c
			for i := 0; i < 2; i++ {
				d := dz[o+i*t.Stride : o+i*t.Stride+2*c]
				h := tmp[4*i*c:]
				winoA(d[:c], d[c:], h[:c], h[c:2*c], h[2*c:3*c], h[3*c:4*c])
			}
			// A·(dz·Aᵀ), column by column.
			k := (t.K0 + ty*t.TW + tx) * c
			for j := 0; j < 4; j++ {
				winoA(tmp[j*c:(j+1)*c], tmp[(4+j)*c:(5+j)*c],
					m[j*s+k:j*s+k+c], m[(4+j)*s+k:(4+j)*s+k+c], m[(8+j)*s+k:(8+j)*s+k+c], m[(12+j)*s+k:(12+j)*s+k+c])
			}
		}
	}
}

// winogradGradIn is the portable Kernel.WinogradGradIn; tmp holds 16·C
// floats.
func winogradGradIn(q []float32, t WinogradTiles, dst, tmp []float32) {
	c, s := t.C, t.Pos
	tmp = tmp[:16*c]
	for ty := 0; ty < t.TH; ty++ {
		for tx := 0; tx < t.TW; tx++ {
			k := (t.K0 + ty*t.TW + tx) * c
			// q·Bᵀ, row by row: B applied to the row's 4 values.
			for i := 0; i < 4; i++ {
				o := 4*i*s + k
				h := tmp[4*i*c:]
				winoB(q[o:o+c], q[o+s:o+s+c], q[o+2*s:o+2*s+c], q[o+3*s:o+3*s+c], h[:c], h[c:2*c], h[2*c:3*c], h[3*c:4*c])
			}
			// B·(q·Bᵀ), column by column, added.
			o := 2*ty*t.Stride + 2*tx*c
			for j := 0; j < 4; j++ {
				p := o + j*c
				winoBAdd(tmp[j*c:(j+1)*c], tmp[(4+j)*c:(5+j)*c], tmp[(8+j)*c:(9+j)*c], tmp[(12+j)*c:(13+j)*c],
					dst[p:p+c], dst[p+t.Stride:p+t.Stride+c], dst[p+2*t.Stride:p+2*t.Stride+c], dst[p+3*t.Stride:p+3*t.Stride+c])
			}
		}
	}
}

// winoBt writes Bᵀ·(d0, d1, d2, d3) into o0 … o3, channel by channel.
func winoBt(d0, d1, d2, d3, o0, o1, o2, o3 []float32) {
	n := len(o0)
	d0, d1, d2, d3, o1, o2, o3 = d0[:n], d1[:n], d2[:n], d3[:n], o1[:n], o2[:n], o3[:n]
	for i := range o0 {
		a, b, c, d := d0[i], d1[i], d2[i], d3[i]
		o0[i], o1[i], o2[i], o3[i] = a-c, b+c, c-b, b-d
	}
}

// winoAt writes Aᵀ·(m0, m1, m2, m3) into o0 and o1.
func winoAt(m0, m1, m2, m3, o0, o1 []float32) {
	n := len(o0)
	m0, m1, m2, m3, o1 = m0[:n], m1[:n], m2[:n], m3[:n], o1[:n]
	for i := range o0 {
		a, b, c, d := m0[i], m1[i], m2[i], m3[i]
		o0[i], o1[i] = a+b+c, b-c-d
	}
}

// winoA writes A·(z0, z1) into o0 … o3.
func winoA(z0, z1, o0, o1, o2, o3 []float32) {
	n := len(o0)
	z0, z1, o1, o2, o3 = z0[:n], z1[:n], o1[:n], o2[:n], o3[:n]
	for i := range o0 {
		a, b := z0[i], z1[i]
		o0[i], o1[i], o2[i], o3[i] = a, a+b, a-b, -b
	}
}

// winoB writes B·(q0, q1, q2, q3) into o0 … o3.
func winoB(q0, q1, q2, q3, o0, o1, o2, o3 []float32) {
	n := len(o0)
	q0, q1, q2, q3, o1, o2, o3 = q0[:n], q1[:n], q2[:n], q3[:n], o1[:n], o2[:n], o3[:n]
	for i := range o0 {
		a, b, c, d := q0[i], q1[i], q2[i], q3[i]
		o0[i], o1[i], o2[i], o3[i] = a, b-c+d, b+c-a, -d
	}
}

// winoBAdd adds B·(q0, q1, q2, q3) into o0 … o3.
func winoBAdd(q0, q1, q2, q3, o0, o1, o2, o3 []float32) {
	n := len(o0)
	q0, q1, q2, q3, o1, o2, o3 = q0[:n], q1[:n], q2[:n], q3[:n], o1[:n], o2[:n], o3[:n]
	for i := range o0 {
		a, b, c, d := q0[i], q1[i], q2[i], q3[i]
		o0[i] += a
		o1[i] += b - c + d
		o2[i] += b + c - a
		o3[i] -= d
	}
}
