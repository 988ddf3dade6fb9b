//go:build amd64 && !purego

package nn

// Implemented in direct_amd64.s: one row of n output pixels of a 3×3,
// stride-1 convolution of a padded image (rows stride floats apart) with
// one channel on one side and c, a multiple of 8, on the other.
//
//go:noescape
func convSpreadAVX(src *float32, stride, n int, w *float32, c int, dst *float32)

// Implemented in direct512_amd64.s: the loops above for c a multiple of
// 16.
//
//go:noescape
func convSpread512(src *float32, stride, n int, w *float32, c int, dst *float32)

//go:noescape
func convDotGrad512(src *float32, c, n int, dz *float32, acc *float32)

//go:noescape
func convSpreadGrad512(src *float32, n int, dz *float32, c int, acc *float32)

//go:noescape
func convDotAVX(src *float32, stride, c, n int, w *float32, dst *float32)

//go:noescape
func convDotGradAVX(src *float32, c, n int, dz *float32, acc *float32)

//go:noescape
func convSpreadGradAVX(src *float32, n int, dz *float32, c int, acc *float32)

// thin reports whether the vector loops take a convolution over g with
// cout output channels: 3×3, stride 1, one channel in and a multiple of 8
// out, or the reverse.
func thin(g Window, cout int) bool {
	return g.KH == 3 && g.KW == 3 && g.Stride == 1 && g.OH > 0 && g.OW > 0 &&
		(g.C == 1 && cout%8 == 0 && cout > 0 || cout == 1 && g.C%8 == 0 && g.C > 0)
}

// padded returns src with the window's padding around it, (OH+2)×(OW+2)
// pixels whose rows are the second result apart: src itself where the
// windows lie inside it, else a copy in k.pad.
func (k *avxKernel) padded(src []float32, g Window) ([]float32, int) {
	c, wp, hp := g.C, g.OW+2, g.OH+2
	if len(src) < g.H*g.W*c {
		panic("nn: convolution: slice too short")
	}
	if g.PadT == 0 && g.PadL == 0 && hp <= g.H && wp <= g.W {
		return src, g.W * c
	}
	p := grow(&k.pad, hp*wp*c)
	for r := 0; r < hp; r++ {
		row := p[r*wp*c : (r+1)*wp*c]
		iy := r - g.PadT
		if iy < 0 || iy >= g.H {
			clear(row)
			continue
		}
		lo, hi := g.PadL*c, min(wp, g.PadL+g.W)*c
		clear(row[:lo])
		copy(row[lo:hi], src[iy*g.W*c:])
		clear(row[hi:])
	}
	return p, wp * c
}

func (k *avxKernel) Conv(src []float32, g Window, kernel, dst []float32) {
	cout := len(kernel) / (9 * max(g.C, 1))
	if !thin(g, cout) || len(kernel) != 9*g.C*cout {
		conv(src, g, kernel, dst)
		return
	}
	p, stride := k.padded(src, g)
	dst = dst[:g.OH*g.OW*cout]
	for oy := 0; oy < g.OH; oy++ {
		switch {
		case g.C == 1 && k.avx512 && cout%16 == 0:
			convSpread512(&p[oy*stride], stride, g.OW, &kernel[0], cout, &dst[oy*g.OW*cout])
		case g.C == 1:
			convSpreadAVX(&p[oy*stride], stride, g.OW, &kernel[0], cout, &dst[oy*g.OW*cout])
		default:
			convDotAVX(&p[oy*stride], stride, g.C, g.OW, &kernel[0], &dst[oy*g.OW])
		}
	}
}

func (k *avxKernel) ConvFilterGrad(src []float32, g Window, dz, dw []float32) {
	cout := len(dw) / (9 * max(g.C, 1))
	if !thin(g, cout) || len(dw) != 9*g.C*cout {
		convFilterGrad(src, g, dz, dw)
		return
	}
	p, stride := k.padded(src, g)
	dz = dz[:g.OH*g.OW*cout]
	for oy := 0; oy < g.OH; oy++ {
		for ky := 0; ky < 3; ky++ {
			src := &p[(oy+ky)*stride]
			switch {
			case g.C == 1 && k.avx512 && cout%16 == 0:
				convSpreadGrad512(src, g.OW, &dz[oy*g.OW*cout], cout, &dw[ky*3*cout])
			case g.C == 1:
				convSpreadGradAVX(src, g.OW, &dz[oy*g.OW*cout], cout, &dw[ky*3*cout])
			case k.avx512 && g.C%16 == 0:
				convDotGrad512(src, g.C, g.OW, &dz[oy*g.OW], &dw[ky*3*g.C])
			default:
				convDotGradAVX(src, g.C, g.OW, &dz[oy*g.OW], &dw[ky*3*g.C])
			}
		}
	}
}
