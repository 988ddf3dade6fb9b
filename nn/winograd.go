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
// each kernel's fast GEMM does them; the transforms are additions, in Go.
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
// of chunk tile k, channel c, is at v[p·nt·C + k·C + c], so that each
// position's matrix is one row-major block.

// The transforms (Lavin and Gray's):
//
//	Bᵀ = [1 0 -1 0; 0 1 1 0; 0 -1 1 0; 0 1 0 -1]
//	G  = [1 0 0; ½ ½ ½; ½ -½ ½; 0 0 1]
//	Aᵀ = [1 1 1 0; 0 1 -1 -1]

// winoTarget is the size, in floats, the transformed input and output of
// one chunk of tiles aim for together.
const winoTarget = 1 << 17

// winoEligible reports whether the layer is one F(2×2, 3×3) computes.
func (l *Conv2DLayer) winoEligible() bool { return l.KH == 3 && l.KW == 3 && l.Stride == 1 }

// winoTiles is the number of 2×2 output tiles of one image.
func (l *Conv2DLayer) winoTiles() (th, tw int) { return (l.oh + 1) / 2, (l.ow + 1) / 2 }

// winoChunk is the number of tiles transformed and multiplied at a time: a
// multiple of every micro-kernel's rows (12, 6, 4).
func (l *Conv2DLayer) winoChunk() int {
	return max(1, winoTarget/(16*(l.cin+l.Filters)*12)) * 12
}

// winoScratch is the workspace Winograd's passes take for n samples: the
// transformed input and output of a chunk, the transformed kernel and its
// gradient, and two 4×4 tiles of the wider channel count.
func (l *Conv2DLayer) winoScratch(n int) int {
	th, tw := l.winoTiles()
	nt := min(n*th*tw, l.winoChunk())
	c := max(l.cin, l.Filters)
	return 16*nt*(l.cin+l.Filters) + 2*16*l.cin*l.Filters + 33*c
}

// winoBufs carves the workspace: the transformed kernel u (or its
// gradient), v and m for a chunk of nt tiles, tmp (32·c floats) and a zero
// pixel.
func (l *Conv2DLayer) winoBufs(ws *Workspace, n int) (u, r, v, m, tmp, zero []float32) {
	cin, cout := l.cin, l.Filters
	th, tw := l.winoTiles()
	nt := min(n*th*tw, l.winoChunk())
	c := max(cin, cout)
	buf := ws.floats(l.scratch(n))
	u, buf = buf[:16*cin*cout], buf[16*cin*cout:]
	r, buf = buf[:16*cin*cout], buf[16*cin*cout:]
	v, buf = buf[:16*nt*cin], buf[16*nt*cin:]
	m, buf = buf[:16*nt*cout], buf[16*nt*cout:]
	tmp, zero = buf[:32*c], buf[32*c:33*c]
	clear(zero)
	return
}

// forwardWinograd writes the pre-activations x·W into z by F(2×2, 3×3).
func (l *Conv2DLayer) forwardWinograd(ws *Workspace, x, z []float32, n int) {
	cin, cout := l.cin, l.Filters
	th, tw := l.winoTiles()
	tiles := n * th * tw
	u, _, v, m, tmp, zero := l.winoBufs(ws, n)
	winoKernel(l.kernel.Value, cin*cout, u)
	for t0 := 0; t0 < tiles; t0 += l.winoChunk() {
		nt := min(l.winoChunk(), tiles-t0)
		l.winoInput(x, t0, nt, v, tmp, zero)
		for p := 0; p < 16; p++ {
			ws.Kernel.Gemm(false, false, nt, cout, cin, 1, v[p*nt*cin:(p+1)*nt*cin], cin, u[p*cin*cout:(p+1)*cin*cout], cout,
				0, m[p*nt*cout:(p+1)*nt*cout], cout)
		}
		l.winoOutput(m, t0, nt, z, tmp)
	}
}

// backwardWinograd adds the weight gradient into dw and, unless dx is nil,
// overwrites dx with the input gradient, both by F(2×2, 3×3)'s adjoint.
func (l *Conv2DLayer) backwardWinograd(ws *Workspace, x, dz, dx, dw []float32, n int) {
	cin, cout := l.cin, l.Filters
	th, tw := l.winoTiles()
	tiles := n * th * tw
	u, r, v, m, tmp, zero := l.winoBufs(ws, n)
	if dx != nil {
		winoKernel(l.kernel.Value, cin*cout, u)
		clear(dx[:n*l.h*l.w*cin])
	}
	clear(r)
	for t0 := 0; t0 < tiles; t0 += l.winoChunk() {
		nt := min(l.winoChunk(), tiles-t0)
		l.winoInput(x, t0, nt, v, tmp, zero)
		l.winoGradOut(dz, t0, nt, m, tmp, zero)
		for p := 0; p < 16; p++ {
			ws.Kernel.Gemm(true, false, cin, cout, nt, 1, v[p*nt*cin:(p+1)*nt*cin], cin, m[p*nt*cout:(p+1)*nt*cout], cout,
				1, r[p*cin*cout:(p+1)*cin*cout], cout)
		}
		if dx == nil {
			continue
		}
		// v is spent: it takes Z·Uᵀ.
		for p := 0; p < 16; p++ {
			ws.Kernel.Gemm(false, true, nt, cin, cout, 1, m[p*nt*cout:(p+1)*nt*cout], cout, u[p*cin*cout:(p+1)*cin*cout], cout,
				0, v[p*nt*cin:(p+1)*nt*cin], cin)
		}
		l.winoGradIn(v, t0, nt, dx, tmp)
	}
	winoKernelGrad(r, cin*cout, dw)
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
func winoKernelGrad(r []float32, cc int, dw []float32) {
	r, dw = r[:16*cc], dw[:9*cc]
	for f := 0; f < cc; f++ {
		// Gᵀ on each column of R, then on each row: Gᵀ·(r0, r1, r2, r3) =
		// (r0 + ½(r1+r2), ½(r1-r2), ½(r1+r2) + r3).
		var h [12]float32
		for b := 0; b < 4; b++ {
			r0, r1, r2, r3 := r[b*cc+f], r[(4+b)*cc+f], r[(8+b)*cc+f], r[(12+b)*cc+f]
			h[b], h[4+b], h[8+b] = r0+0.5*(r1+r2), 0.5*(r1-r2), 0.5*(r1+r2)+r3
		}
		for ky := 0; ky < 3; ky++ {
			r0, r1, r2, r3 := h[4*ky], h[4*ky+1], h[4*ky+2], h[4*ky+3]
			dw[(3*ky)*cc+f] += r0 + 0.5*(r1+r2)
			dw[(3*ky+1)*cc+f] += 0.5 * (r1 - r2)
			dw[(3*ky+2)*cc+f] += 0.5*(r1+r2) + r3
		}
	}
}

// winoInput writes the transformed input tiles t0 … t0+nt-1 of x, Bᵀ d B,
// into v. tmp holds 16 pixels of channels; zero is a pixel of zeros,
// which stands for the padding.
func (l *Conv2DLayer) winoInput(x []float32, t0, nt int, v, tmp, zero []float32) {
	c := l.cin
	th, tw := l.winoTiles()
	per := th * tw
	size := l.h * l.w * c
	s := nt * c // between positions
	v = v[:16*s]
	var px [4][]float32
	for t := t0; t < t0+nt; t++ {
		img := x[t/per*size : (t/per+1)*size]
		iy0, ix0 := 2*(t%per/tw)-l.padT, 2*(t%per%tw)-l.padL
		// d·B, row by row, into tmp: Bᵀ applied to the row's 4 pixels.
		for i := 0; i < 4; i++ {
			iy := iy0 + i
			for j := range px {
				ix := ix0 + j
				if iy < 0 || iy >= l.h || ix < 0 || ix >= l.w {
					px[j] = zero[:c]
				} else {
					px[j] = img[(iy*l.w+ix)*c : (iy*l.w+ix+1)*c]
				}
			}
			h := tmp[4*i*c:]
			winoBt(px[0], px[1], px[2], px[3], h[:c], h[c:2*c], h[2*c:3*c], h[3*c:4*c])
		}
		// Bᵀ·(d·B), column by column, into v.
		k := (t - t0) * c
		for j := 0; j < 4; j++ {
			winoBt(tmp[j*c:(j+1)*c], tmp[(4+j)*c:(5+j)*c], tmp[(8+j)*c:(9+j)*c], tmp[(12+j)*c:(13+j)*c],
				v[j*s+k:j*s+k+c], v[(4+j)*s+k:(4+j)*s+k+c], v[(8+j)*s+k:(8+j)*s+k+c], v[(12+j)*s+k:(12+j)*s+k+c])
		}
	}
}

// winoOutput writes Aᵀ m A for the tiles t0 … t0+nt-1 into y, leaving out
// the pixels past the output's edge. tmp holds 8 pixels of channels and a
// ninth, the sink for those.
func (l *Conv2DLayer) winoOutput(m []float32, t0, nt int, y, tmp []float32) {
	c := l.Filters
	th, tw := l.winoTiles()
	per := th * tw
	size := l.oh * l.ow * c
	s := nt * c
	m = m[:16*s]
	sink := tmp[8*c : 9*c]
	for t := t0; t < t0+nt; t++ {
		img := y[t/per*size : (t/per+1)*size]
		oy0, ox0 := 2*(t%per/tw), 2*(t%per%tw)
		k := (t - t0) * c
		// m·A, row by row: Aᵀ applied to the row's 4 values.
		for i := 0; i < 4; i++ {
			o := 4*i*s + k
			winoAt(m[o:o+c], m[o+s:o+s+c], m[o+2*s:o+2*s+c], m[o+3*s:o+3*s+c], tmp[2*i*c:(2*i+1)*c], tmp[(2*i+1)*c:(2*i+2)*c])
		}
		// Aᵀ·(m·A), column by column, into the image.
		for j := 0; j < 2; j++ {
			ox := ox0 + j
			if ox >= l.ow {
				break
			}
			y0 := img[(oy0*l.ow+ox)*c : (oy0*l.ow+ox+1)*c]
			y1 := sink
			if oy0+1 < l.oh {
				y1 = img[((oy0+1)*l.ow+ox)*c : ((oy0+1)*l.ow+ox+1)*c]
			}
			winoAt(tmp[j*c:(j+1)*c], tmp[(2+j)*c:(3+j)*c], tmp[(4+j)*c:(5+j)*c], tmp[(6+j)*c:(7+j)*c], y0, y1)
		}
	}
}

// winoGradOut writes A dz Aᵀ, the transformed gradient of the output tiles
// t0 … t0+nt-1, into m; pixels past the output's edge count as zero.
func (l *Conv2DLayer) winoGradOut(dz []float32, t0, nt int, m, tmp, zero []float32) {
	c := l.Filters
	th, tw := l.winoTiles()
	per := th * tw
	size := l.oh * l.ow * c
	s := nt * c
	m = m[:16*s]
	for t := t0; t < t0+nt; t++ {
		img := dz[t/per*size : (t/per+1)*size]
		oy0, ox0 := 2*(t%per/tw), 2*(t%per%tw)
		// dz·Aᵀ, row by row: A applied to the row's 2 pixels.
		for i := 0; i < 2; i++ {
			var p [2][]float32
			for j := range p {
				if oy, ox := oy0+i, ox0+j; oy < l.oh && ox < l.ow {
					p[j] = img[(oy*l.ow+ox)*c : (oy*l.ow+ox+1)*c]
				} else {
					p[j] = zero[:c]
				}
			}
			h := tmp[4*i*c:]
			winoA(p[0], p[1], h[:c], h[c:2*c], h[2*c:3*c], h[3*c:4*c])
		}
		// A·(dz·Aᵀ), column by column.
		k := (t - t0) * c
		for j := 0; j < 4; j++ {
			winoA(tmp[j*c:(j+1)*c], tmp[(4+j)*c:(5+j)*c],
				m[j*s+k:j*s+k+c], m[(4+j)*s+k:(4+j)*s+k+c], m[(8+j)*s+k:(8+j)*s+k+c], m[(12+j)*s+k:(12+j)*s+k+c])
		}
	}
}

// winoGradIn adds B q Bᵀ, the input gradient of the tiles t0 … t0+nt-1
// (q transformed, as v), into dx, leaving out the padding. tmp holds 16
// pixels of channels and a seventeenth, the sink for the padding's.
func (l *Conv2DLayer) winoGradIn(q []float32, t0, nt int, dx, tmp []float32) {
	c := l.cin
	th, tw := l.winoTiles()
	per := th * tw
	size := l.h * l.w * c
	s := nt * c
	q = q[:16*s]
	sink := tmp[16*c : 17*c]
	var px [4][]float32
	for t := t0; t < t0+nt; t++ {
		img := dx[t/per*size : (t/per+1)*size]
		iy0, ix0 := 2*(t%per/tw)-l.padT, 2*(t%per%tw)-l.padL
		k := (t - t0) * c
		// q·Bᵀ, row by row: B applied to the row's 4 values.
		for i := 0; i < 4; i++ {
			o := 4*i*s + k
			h := tmp[4*i*c:]
			winoB(q[o:o+c], q[o+s:o+s+c], q[o+2*s:o+2*s+c], q[o+3*s:o+3*s+c], h[:c], h[c:2*c], h[2*c:3*c], h[3*c:4*c])
		}
		// B·(q·Bᵀ), column by column, added into the image.
		for j := 0; j < 4; j++ {
			ix := ix0 + j
			for i := range px {
				iy := iy0 + i
				if iy < 0 || iy >= l.h || ix < 0 || ix >= l.w {
					px[i] = sink
				} else {
					px[i] = img[(iy*l.w+ix)*c : (iy*l.w+ix+1)*c]
				}
			}
			winoBAdd(tmp[j*c:(j+1)*c], tmp[(4+j)*c:(5+j)*c], tmp[(8+j)*c:(9+j)*c], tmp[(12+j)*c:(13+j)*c], px[0], px[1], px[2], px[3])
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

// winograd reports whether the layer runs by F(2×2, 3×3) under a tuning's
// minimum channel count (0: never).
func (l *Conv2DLayer) winograd(least int) bool {
	return least > 0 && l.winoEligible() && l.cin >= least && l.Filters >= least
}
