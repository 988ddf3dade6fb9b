package nn

// DenseLayer is Keras' Dense: y = act(x·W + b) with W of shape [in, out].
// Its input must be flat (one dimension).
type DenseLayer struct {
	base
	Units  int
	Act    Activation
	kernel Param
	bias   Param
}

// Dense returns a fully connected layer with the given number of units.
func Dense(units int, act Activation) *DenseLayer {
	return &DenseLayer{Units: units, Act: act}
}

func (l *DenseLayer) Type() string { return "Dense" }

// scratch holds dWᵀ when the weight gradient is computed transposed.
func (l *DenseLayer) scratch(n int) int {
	if l.Units < l.in[0] {
		return l.in[0] * l.Units
	}
	return 0
}
func (l *DenseLayer) Params() []*Param { return []*Param{&l.kernel, &l.bias} }

func (l *DenseLayer) build(in Shape) (Shape, error) {
	if len(in) != 1 {
		return nil, l.errorf("Dense needs a flat input, got shape %v (add a Flatten layer)", in)
	}
	if l.Units <= 0 {
		return nil, l.errorf("units must be positive, got %d", l.Units)
	}
	l.in, l.out = in.clone(), Shape{l.Units}
	l.kernel = Param{Name: l.name + "/kernel", Shape: []int{in[0], l.Units}, Value: make([]float32, in[0]*l.Units), fanIn: in[0], fanOut: l.Units}
	l.bias = Param{Name: l.name + "/bias", Shape: []int{l.Units}, Value: make([]float32, l.Units)}
	return l.out, nil
}

func (l *DenseLayer) clone() Layer {
	return &DenseLayer{base: base{name: l.name}, Units: l.Units, Act: l.Act}
}

func (l *DenseLayer) macs() int { return l.in[0] * l.Units }

func (l *DenseLayer) Forward(ws *Workspace, x, y []float32, n int) {
	ws.Kernel.BiasAct(l.Act, y[:n*l.Units], l.forwardPre(ws, x, y, n))
}

// forwardPre writes the pre-activations x·W (without the bias, which it
// returns) into z.
func (l *DenseLayer) forwardPre(ws *Workspace, x, z []float32, n int) (bias []float32) {
	in, out := l.in[0], l.Units
	ws.Kernel.Gemm(false, false, n, out, in, 1, x, in, l.kernel.Value, out, 0, z, out)
	return l.bias.Value
}

func (l *DenseLayer) Backward(ws *Workspace, x, y, dy, dx []float32, grads [][]float32, n int) {
	ws.Kernel.ActGrad(l.Act, y, dy[:n*l.Units])
	l.backwardPre(ws, x, dy, dx, grads, n)
}

func (l *DenseLayer) activation() Activation { return l.Act }

func (l *DenseLayer) backwardPre(ws *Workspace, x, dz, dx []float32, grads [][]float32, n int) {
	in, out := l.in[0], l.Units
	dz = dz[:n*out]
	// dW += xᵀ·dz, db += column sums of dz, dx = dz·Wᵀ. The GEMM packs its
	// transposed operand; with fewer outputs than inputs, dz is the smaller,
	// so dWᵀ = dzᵀ·x is computed and added back transposed.
	if out < in {
		dwT := ws.floats(in * out)
		ws.Kernel.Gemm(true, false, out, in, n, 1, dz, out, x, in, 0, dwT, in)
		dw := grads[0]
		for o := 0; o < out; o++ {
			for i, v := range dwT[o*in : (o+1)*in] {
				dw[i*out+o] += v
			}
		}
	} else {
		ws.Kernel.Gemm(true, false, in, out, n, 1, x, in, dz, out, 1, grads[0], out)
	}
	ws.Kernel.ColSums(grads[1], dz)
	if dx != nil {
		ws.Kernel.Gemm(false, true, n, in, out, 1, dz, out, l.kernel.Value, out, 0, dx, in)
	}
}

// addColumnSums adds the sums over rows of the row-major matrix m (with
// len(dst) columns) into dst: the bias gradient.
func addColumnSums(dst, m []float32) {
	c := len(dst)
	for i := 0; i+c <= len(m); i += c {
		row := m[i : i+c]
		for j, v := range row {
			dst[j] += v
		}
	}
}
