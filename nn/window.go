package nn

// The portable window operations of one NHWC image (see Kernel), which
// every kernel runs where it has no faster code of its own.

// patches is the portable Kernel.Patches. A window row that lies inside
// src is one contiguous run of KW·C values in NHWC, copied at once.
func patches(src []float32, g Window, col []float32) {
	h, w, c, oh, ow, kh, kw, stride, padT, padL := g.H, g.W, g.C, g.OH, g.OW, g.KH, g.KW, g.Stride, g.PadT, g.PadL
	run := kw * c
	i := 0
	for oy := 0; oy < oh; oy++ {
		for ox := 0; ox < ow; ox++ {
			ix0 := ox*stride - padL
			inside := ix0 >= 0 && ix0+kw <= w
			for ky := 0; ky < kh; ky++ {
				iy := oy*stride - padT + ky
				dst := col[i : i+run]
				i += run
				switch {
				case iy < 0 || iy >= h:
					clear(dst)
				case inside:
					s := src[(iy*w+ix0)*c : (iy*w+ix0)*c+run]
					if run <= 8 { // a call to memmove costs more than a few moves
						//lint:ignore S1001 copy is that call
						for t, v := range s {
							dst[t] = v
						}
					} else {
						copy(dst, s)
					}
				default:
					for kx := 0; kx < kw; kx++ {
						ix := ix0 + kx
						if ix < 0 || ix >= w {
							clear(dst[kx*c : (kx+1)*c])
						} else {
							copy(dst[kx*c:(kx+1)*c], src[(iy*w+ix)*c:])
						}
					}
				}
			}
		}
	}
}

// sumTaps is the portable Kernel.SumTaps. It runs tap by tap over whole
// output rows (each tap's valid columns found once), so the inner loop is a
// plain strided sum, not a search for the valid taps at every pixel.
func sumTaps(z []float32, g Window, y []float32) {
	cout := g.C
	kt := g.KH * g.KW * cout
	clear(y)
	for oy := 0; oy < g.OH; oy++ {
		yrow := y[oy*g.OW*cout : (oy+1)*g.OW*cout]
		for ky := 0; ky < g.KH; ky++ {
			iy := oy - g.PadT + ky
			if iy < 0 || iy >= g.H {
				continue
			}
			zrow := z[iy*g.W*kt : (iy+1)*g.W*kt]
			for kx := 0; kx < g.KW; kx++ {
				// Output columns whose input column ox-padL+kx is inside.
				lo, hi := max(0, g.PadL-kx), min(g.OW, g.W+g.PadL-kx)
				if lo >= hi {
					continue
				}
				t := (ky*g.KW + kx) * cout
				src := zrow[(lo-g.PadL+kx)*kt+t:]
				if cout == 1 {
					dst := yrow[lo:hi]
					src = src[:(len(dst)-1)*kt+1]
					for i := range dst {
						dst[i] += src[i*kt]
					}
					continue
				}
				for ox := lo; ox < hi; ox++ {
					dst := yrow[ox*cout : (ox+1)*cout]
					s := src[(ox-lo)*kt : (ox-lo)*kt+cout]
					for co, v := range s {
						dst[co] += v
					}
				}
			}
		}
	}
}

// maxPool is the portable Kernel.MaxPool.
func maxPool(xs []float32, g Window, ys []float32) { maxPoolRange(xs, g, ys, 0, g.OH, 0, g.OW) }

// maxPoolRange is maxPool for the outputs in rows [oy0, oy1) and columns
// [ox0, ox1) only.
func maxPoolRange(xs []float32, g Window, ys []float32, oy0, oy1, ox0, ox1 int) {
	c := g.C
	for oy := oy0; oy < oy1; oy++ {
		for ox := ox0; ox < ox1; ox++ {
			y0, y1, x0, x1 := g.span(oy, ox)
			dst := ys[(oy*g.OW+ox)*c : (oy*g.OW+ox+1)*c]
			copy(dst, xs[(y0*g.W+x0)*c:])
			for iy := y0; iy < y1; iy++ {
				for ix := x0; ix < x1; ix++ {
					for ch, v := range xs[(iy*g.W+ix)*c : (iy*g.W+ix+1)*c] {
						if v > dst[ch] {
							dst[ch] = v
						}
					}
				}
			}
		}
	}
}

// maxPoolGrad is the portable Kernel.MaxPoolGrad.
func maxPoolGrad(xs, ys, dys []float32, g Window, dxs []float32) {
	clear(dxs[:g.H*g.W*g.C])
	maxPoolGradRange(xs, ys, dys, g, dxs, 0, g.OH, 0, g.OW)
}

// maxPoolGradRange adds the gradient of maxPool's outputs in rows [oy0,
// oy1) and columns [ox0, ox1) into dxs.
func maxPoolGradRange(xs, ys, dys []float32, g Window, dxs []float32, oy0, oy1, ox0, ox1 int) {
	c := g.C
	for oy := oy0; oy < oy1; oy++ {
		for ox := ox0; ox < ox1; ox++ {
			y0, y1, x0, x1 := g.span(oy, ox)
			o := (oy*g.OW + ox) * c
			for ch := 0; ch < c; ch++ {
				m := ys[o+ch]
			search:
				for iy := y0; iy < y1; iy++ {
					for ix := x0; ix < x1; ix++ {
						if i := (iy*g.W+ix)*c + ch; xs[i] == m {
							dxs[i] += dys[o+ch]
							break search
						}
					}
				}
			}
		}
	}
}

// span returns the input rows and columns [y0,y1)×[x0,x1) under the window
// at (oy, ox), with the padding cut away.
func (g Window) span(oy, ox int) (y0, y1, x0, x1 int) {
	y0, x0 = oy*g.Stride-g.PadT, ox*g.Stride-g.PadL
	y1, x1 = min(y0+g.KH, g.H), min(x0+g.KW, g.W)
	return max(y0, 0), y1, max(x0, 0), x1
}

// covers reports whether the windows together cover every input pixel.
func (g Window) covers() bool {
	return (g.OH-1)*g.Stride+g.KH-g.PadT >= g.H && (g.OW-1)*g.Stride+g.KW-g.PadL >= g.W
}

// upsample is the portable Kernel.Upsample.
func upsample(x []float32, h, w, c, s int, y []float32) {
	ow := w * s
	for i := 0; i < h; i++ {
		src := x[i*w*c : (i+1)*w*c]
		dst := y[i*s*ow*c : (i+1)*s*ow*c]
		row := dst[:ow*c]
		for ix := 0; ix < w; ix++ {
			px := src[ix*c : (ix+1)*c]
			for k := 0; k < s; k++ {
				copy(row[(ix*s+k)*c:], px)
			}
		}
		for k := 1; k < s; k++ {
			copy(dst[k*ow*c:], row)
		}
	}
}

// upsampleGrad is the portable Kernel.UpsampleGrad.
func upsampleGrad(dy []float32, h, w, c, s int, dx []float32) {
	ow := w * s
	for i := 0; i < h; i++ {
		dst := dx[i*w*c : (i+1)*w*c]
		clear(dst)
		src := dy[i*s*ow*c : (i+1)*s*ow*c]
		for k := 0; k < s; k++ {
			row := src[k*ow*c : (k+1)*ow*c]
			for ix := 0; ix < w; ix++ {
				px := dst[ix*c : (ix+1)*c]
				for m := 0; m < s; m++ {
					for ch, v := range row[(ix*s+m)*c : (ix*s+m+1)*c] {
						px[ch] += v
					}
				}
			}
		}
	}
}

// conv is the portable Kernel.Conv.
func conv(src []float32, g Window, kernel, dst []float32) {
	c := g.C
	cout := len(kernel) / (g.KH * g.KW * c)
	dst = dst[:g.OH*g.OW*cout]
	clear(dst)
	for oy := 0; oy < g.OH; oy++ {
		for ox := 0; ox < g.OW; ox++ {
			out := dst[(oy*g.OW+ox)*cout : (oy*g.OW+ox+1)*cout]
			g.taps(oy, ox, func(t, i int) {
				w := kernel[t*c*cout : (t+1)*c*cout]
				for ci, v := range src[i*c : (i+1)*c] {
					for co, wv := range w[ci*cout : (ci+1)*cout] {
						out[co] += v * wv
					}
				}
			})
		}
	}
}

// convFilterGrad is the portable Kernel.ConvFilterGrad.
func convFilterGrad(src []float32, g Window, dz, dw []float32) {
	c := g.C
	cout := len(dw) / (g.KH * g.KW * c)
	for oy := 0; oy < g.OH; oy++ {
		for ox := 0; ox < g.OW; ox++ {
			d := dz[(oy*g.OW+ox)*cout : (oy*g.OW+ox+1)*cout]
			g.taps(oy, ox, func(t, i int) {
				w := dw[t*c*cout : (t+1)*c*cout]
				for ci, v := range src[i*c : (i+1)*c] {
					for co, dv := range d {
						w[ci*cout+co] += v * dv
					}
				}
			})
		}
	}
}

// taps calls f for each tap of the window at (oy, ox) that lies inside
// the image: its index ky·KW + kx and the input pixel's, iy·W + ix.
func (g Window) taps(oy, ox int, f func(t, i int)) {
	for ky := 0; ky < g.KH; ky++ {
		iy := oy*g.Stride - g.PadT + ky
		if iy < 0 || iy >= g.H {
			continue
		}
		for kx := 0; kx < g.KW; kx++ {
			if ix := ox*g.Stride - g.PadL + kx; ix >= 0 && ix < g.W {
				f(ky*g.KW+kx, iy*g.W+ix)
			}
		}
	}
}
