package nn

import "math"

// The portable implementations of Kernel's element-wise and window
// operations. Every other kernel runs these where it has no faster code
// for the arguments it is given, so they are also the reference the
// kernels are tested against.

func (g *GoKernel) Name() string   { return g.name }
func (g *GoKernel) Tuning() Tuning { return g.tuning }

func (g *GoKernel) Axpy(alpha float32, x, y []float32) { g.axpy(alpha, x, y) }
func (g *GoKernel) Add(dst, src []float32)             { add(dst, src) }
func (g *GoKernel) Finite(x []float32) bool            { return finite(x) }
func (g *GoKernel) ToFloat(dst []float32, src []uint8) { toFloat(dst, src) }

func (g *GoKernel) BiasAct(a Activation, y, bias []float32) { biasAct(a, y, bias) }
func (g *GoKernel) ActGrad(a Activation, y, dy []float32)   { actGrad(a, y, dy) }
func (g *GoKernel) ColSums(dst, m []float32)                { addColumnSums(dst, m) }

func (g *GoKernel) Patches(src []float32, w Window, col []float32)      { patches(src, w, col) }
func (g *GoKernel) SumTaps(z []float32, w Window, y []float32)          { sumTaps(z, w, y) }
func (g *GoKernel) Conv(src []float32, w Window, kernel, dst []float32) { conv(src, w, kernel, dst) }
func (g *GoKernel) ConvFilterGrad(src []float32, w Window, dz, dw []float32) {
	convFilterGrad(src, w, dz, dw)
}
func (g *GoKernel) MaxPool(x []float32, w Window, y []float32) { maxPool(x, w, y) }
func (g *GoKernel) MaxPoolGrad(x, y, dy []float32, w Window, dx []float32) {
	maxPoolGrad(x, y, dy, w, dx)
}
func (g *GoKernel) Upsample(x []float32, h, w, c, s int, y []float32) { upsample(x, h, w, c, s, y) }
func (g *GoKernel) UpsampleGrad(dy []float32, h, w, c, s int, dx []float32) {
	upsampleGrad(dy, h, w, c, s, dx)
}

func (g *GoKernel) WinogradIn(src []float32, t WinogradTiles, v []float32) {
	if g.wino == nil || !g.wino.in(src, t, v) {
		winogradIn(src, t, v, grow(&g.winoTmp, 16*t.C))
	}
}
func (g *GoKernel) WinogradOut(m []float32, t WinogradTiles, dst []float32) {
	if g.wino == nil || !g.wino.out(m, t, dst) {
		winogradOut(m, t, dst, grow(&g.winoTmp, 8*t.C))
	}
}
func (g *GoKernel) WinogradGradOut(dz []float32, t WinogradTiles, m []float32) {
	if g.wino == nil || !g.wino.gradOut(dz, t, m) {
		winogradGradOut(dz, t, m, grow(&g.winoTmp, 8*t.C))
	}
}
func (g *GoKernel) WinogradGradIn(q []float32, t WinogradTiles, dst []float32) {
	if g.wino == nil || !g.wino.gradIn(q, t, dst) {
		winogradGradIn(q, t, dst, grow(&g.winoTmp, 16*t.C))
	}
}

func (g *GoKernel) BCESum(p, y []float32) float64 { return BCE{}.Sum(p, y) }
func (g *GoKernel) SigmoidBCE(z, bias, y, dz []float32, scale float32) float64 {
	return sigmoidBCE(z, bias, y, dz, scale)
}
func (g *GoKernel) SigmoidBCEGrad(p, y, dz []float32, scale float32) {
	BCE{}.sigmoidGrad(p, y, dz, scale)
}

func (g *GoKernel) Adam(w, gr, m, v []float32, om1, om2, alpha, eps float32) {
	adamStep(w, gr, m, v, om1, om2, alpha, eps)
}

// add adds src into dst.
func add(dst, src []float32) {
	dst = dst[:len(src)]
	for j, v := range src {
		dst[j] += v
	}
}

// finite reports whether every value is finite.
func finite(x []float32) bool {
	var s float32
	for _, v := range x {
		s += v * 0 // NaN or ±Inf anywhere makes s NaN
	}
	return s == 0
}

// adamStep is Kernel.Adam, the update Adam.Step documents, written so that
// the SIMD kernel's four lanes give the same bits.
func adamStep(w, g, m, v []float32, om1, om2, alpha, eps float32) {
	g, m, v = g[:len(w)], m[:len(w)], v[:len(w)]
	for j, gj := range g {
		mj := m[j] + (gj-m[j])*om1
		vj := v[j] + (gj*gj-v[j])*om2
		m[j], v[j] = mj, vj
		w[j] -= alpha * mj / (float32(math.Sqrt(float64(vj))) + eps)
	}
}
