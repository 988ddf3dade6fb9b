//go:build amd64 && !purego

package nn

// Implemented in window_amd64.s: one row of n output pixels of a 2×2
// window moved by 2, c channels (a multiple of 8), rows stride floats
// apart.
//
//go:noescape
func maxPool2AVX(x *float32, stride, c, n int, y *float32)

//go:noescape
func maxPoolGrad2AVX(x, y, dy *float32, stride, c, n int, dx *float32)

//go:noescape
func upsample2AVX(x *float32, c, n int, y *float32, stride int)

//go:noescape
func upsampleGrad2AVX(dy *float32, stride, c, n int, dx *float32)

// pool2 reports whether g is a 2×2 pool moved by 2 with no padding before
// the image and channels in whole vectors, which the vector loops take,
// and returns the rows and columns of windows wholly inside the image
// (the others, 'same' padding's last on an odd size, run the portable
// code). It panics when x or y is too short.
func pool2(g Window, x, y []float32) (rows, cols int, ok bool) {
	if g.KH != 2 || g.KW != 2 || g.Stride != 2 || g.PadT != 0 || g.PadL != 0 || g.C%8 != 0 || g.C == 0 {
		return 0, 0, false
	}
	if len(x) < g.H*g.W*g.C || len(y) < g.OH*g.OW*g.C || g.OH < g.H/2 || g.OW < g.W/2 {
		panic("nn: pooling: slice too short")
	}
	return g.H / 2, g.W / 2, true
}

func (k *avxKernel) MaxPool(x []float32, g Window, y []float32) {
	rows, cols, ok := pool2(g, x, y)
	if !ok {
		maxPool(x, g, y)
		return
	}
	c := g.C
	for oy := 0; oy < rows && cols > 0; oy++ {
		maxPool2AVX(&x[2*oy*g.W*c], g.W*c, c, cols, &y[oy*g.OW*c])
	}
	maxPoolRange(x, g, y, 0, rows, cols, g.OW)
	maxPoolRange(x, g, y, rows, g.OH, 0, g.OW)
}

func (k *avxKernel) MaxPoolGrad(x, y, dy []float32, g Window, dx []float32) {
	rows, cols, ok := pool2(g, x, y)
	if !ok || len(dy) < len(y[:g.OH*g.OW*g.C]) || len(dx) < g.H*g.W*g.C {
		maxPoolGrad(x, y, dy, g, dx)
		return
	}
	c := g.C
	for oy := 0; oy < rows && cols > 0; oy++ {
		maxPoolGrad2AVX(&x[2*oy*g.W*c], &y[oy*g.OW*c], &dy[oy*g.OW*c], g.W*c, c, cols, &dx[2*oy*g.W*c])
	}
	// The inputs no whole window covers: cleared, then given the edge
	// windows' gradients.
	for iy := 0; iy < 2*rows; iy++ {
		clear(dx[(iy*g.W+2*cols)*c : (iy+1)*g.W*c])
	}
	clear(dx[2*rows*g.W*c : g.H*g.W*c])
	maxPoolGradRange(x, y, dy, g, dx, 0, rows, cols, g.OW)
	maxPoolGradRange(x, y, dy, g, dx, rows, g.OH, 0, g.OW)
}

func (k *avxKernel) Upsample(x []float32, h, w, c, s int, y []float32) {
	if s != 2 || c%8 != 0 || c == 0 || h == 0 || w == 0 {
		upsample(x, h, w, c, s, y)
		return
	}
	x, y = x[:h*w*c], y[:4*h*w*c]
	for i := 0; i < h; i++ {
		upsample2AVX(&x[i*w*c], c, w, &y[2*i*2*w*c], 2*w*c)
	}
}

func (k *avxKernel) UpsampleGrad(dy []float32, h, w, c, s int, dx []float32) {
	if s != 2 || c%8 != 0 || c == 0 || h == 0 || w == 0 {
		upsampleGrad(dy, h, w, c, s, dx)
		return
	}
	dy, dx = dy[:4*h*w*c], dx[:h*w*c]
	for i := 0; i < h; i++ {
		upsampleGrad2AVX(&dy[2*i*2*w*c], 2*w*c, c, w, &dx[i*w*c])
	}
}
