//go:build amd64 && !purego

package nn

// Implemented in elem_amd64.s; the lengths are multiples of 8 (of 32 for
// sigmoidBCEAVX512).
func sigmoidBCEAVX2(z, bias, y, dz []float32, scale float32) float64
func sigmoidBCEAVX512(z, bias, y, dz []float32, scale float32) float64
func biasReLUAVX2(y, bias []float32)
func reluGradAVX2(y, dy []float32)
func colSumsAVX2(dst, m []float32, rows int)
func adamAVX2(w, g, m, v []float32, om1, om2, alpha, eps float32)
func toFloatAVX2(dst []float32, src []uint8)
func addAVX2(dst, src []float32)
func finiteAVX2(x []float32) bool

// avxKernel is GoKernel with assembly micro-kernels for its GEMM and
// assembly loops for the element-wise, window and one-channel convolution
// operations that a training step spends its time in (a profile of
// BenchmarkTrainStep in nn/train shows which); other operations, and the
// last few values of a vector, run the portable code.
type avxKernel struct {
	GoKernel
	avx512 bool       // the AVX-512 loops (SigmoidBCE's, convSpread512)
	rep    []float32  // a short bias repeated (see repeat)
	pad    []float32  // a padded image (see padded)
	sums   [8]float32 // ColSums' of fewer than 8 columns
}

// repeatMin is how long repeat makes a bias: long enough that a loop over
// it is mostly whole vectors.
const repeatMin = 512

// repeat returns bias, or a copy of it repeated to at least repeatMin
// values, so that a row-wise operation with few channels (a convolution's
// 8, the last layer's 1) runs over long vectors.
func (k *avxKernel) repeat(bias []float32) []float32 {
	c := len(bias)
	if c >= repeatMin {
		return bias
	}
	r := grow(&k.rep, (repeatMin+c-1)/c*c)
	for i := 0; i < len(r); i += c {
		copy(r[i:], bias)
	}
	return r
}

// vec8 is n rounded down to a multiple of 8, the vector loops' part.
func vec8(n int) int { return n &^ 7 }

func (k *avxKernel) BiasAct(a Activation, y, bias []float32) {
	if a == Sigmoid || len(bias) == 0 {
		biasAct(a, y, bias)
		return
	}
	n := len(y) - len(y)%len(bias)
	rep := k.repeat(bias)
	for i := 0; i < n; i += len(rep) {
		yc := y[i:min(i+len(rep), n)]
		v := vec8(len(yc))
		if a == ReLU {
			biasReLUAVX2(yc[:v], rep[:v])
		} else {
			addAVX2(yc[:v], rep[:v])
		}
		if v < len(yc) {
			biasAct(a, yc[v:], rep[v:len(yc)])
		}
	}
}

func (k *avxKernel) ActGrad(a Activation, y, dy []float32) {
	if a != ReLU {
		actGrad(a, y, dy)
		return
	}
	v := vec8(len(dy))
	reluGradAVX2(y[:v], dy[:v])
	actGrad(a, y[v:], dy[v:])
}

func (k *avxKernel) ColSums(dst, m []float32) {
	c := len(dst)
	if c > 0 && 8%c == 0 && len(m) >= 8 {
		// Fewer than 8 columns (the last layer's one): the sums of m seen
		// as rows of 8, folded.
		s := k.sums[:]
		clear(s)
		n := len(m) &^ 7
		colSumsAVX2(s, m[:n], n/8)
		for j, v := range s {
			dst[j%c] += v
		}
		addColumnSums(dst, m[n:])
		return
	}
	if c == 0 || c%8 != 0 {
		addColumnSums(dst, m)
		return
	}
	rows := len(m) / c
	colSumsAVX2(dst, m[:rows*c], rows)
}

func (k *avxKernel) SigmoidBCE(z, bias, y, dz []float32, scale float32) float64 {
	if len(bias) == 0 {
		return 0
	}
	n := len(z) - len(z)%len(bias)
	z, y, dz = z[:n], y[:n], dz[:n]
	rep := k.repeat(bias)
	var sum float64
	for i := 0; i < n; i += len(rep) {
		e := min(i+len(rep), n)
		zc, yc, dc := z[i:e], y[i:e], dz[i:e]
		w, v := 0, vec8(len(zc))
		if k.avx512 {
			w = len(zc) &^ 31
			sum += sigmoidBCEAVX512(zc[:w], rep[:w], yc[:w], dc[:w], scale)
		}
		sum += sigmoidBCEAVX2(zc[w:v], rep[w:v], yc[w:v], dc[w:v], scale)
		if v < len(zc) {
			sum += sigmoidBCE(zc[v:], rep[v:len(zc)], yc[v:], dc[v:], scale)
		}
	}
	return sum
}

func (k *avxKernel) Adam(w, g, m, v []float32, om1, om2, alpha, eps float32) {
	n := vec8(len(w))
	adamAVX2(w[:n], g[:n], m[:n], v[:n], om1, om2, alpha, eps)
	adamStep(w[n:], g[n:], m[n:], v[n:], om1, om2, alpha, eps)
}

func (k *avxKernel) ToFloat(dst []float32, src []uint8) {
	n := vec8(len(src))
	toFloatAVX2(dst[:n], src[:n])
	toFloat(dst[n:], src[n:])
}

func (k *avxKernel) Add(dst, src []float32) {
	n := vec8(len(src))
	addAVX2(dst[:n], src[:n])
	add(dst[n:], src[n:])
}

func (k *avxKernel) Finite(x []float32) bool {
	n := vec8(len(x))
	return finiteAVX2(x[:n]) && finite(x[n:])
}
