package nn

import "fmt"

// Layer is one step of a Sequential model. Every layer answers the same few
// questions: its shapes, its parameters, how it maps a batch forward, and how
// a gradient flows back through it. Layers keep no per-batch state; what a
// backward pass needs is recomputed from the forward pass's input and output,
// which the Runner keeps.
type Layer interface {
	// Name is the Keras-style name, e.g. "conv2d_3"; empty until the layer is
	// part of a model, unless it was given one.
	Name() string
	// Type is the Keras class name, e.g. "Conv2D".
	Type() string
	InputShape() Shape
	OutputShape() Shape
	// Params lists the trainable tensors, kernel before bias.
	Params() []*Param

	// Forward computes y = layer(x) for n samples.
	Forward(ws *Workspace, x, y []float32, n int)
	// Backward takes the input x, output y and dy, the loss gradient with
	// respect to y (which it may overwrite), for n samples. It adds the
	// parameter gradients into grads (ordered as Params) and, when dx is not
	// nil, writes the gradient with respect to x into dx.
	Backward(ws *Workspace, x, y, dy, dx []float32, grads [][]float32, n int)

	// build fixes the layer's input shape and returns its output shape.
	build(in Shape) (Shape, error)
	setName(string)
	// scratch is how many floats of workspace Forward and Backward need for
	// n samples.
	scratch(n int) int
}

// Param is a trainable tensor, stored in its Keras layout.
type Param struct {
	Name  string // "dense_1/kernel"
	Shape []int
	Value []float32
	// fanIn and fanOut drive glorot-uniform init; both zero means zeros (a bias).
	fanIn, fanOut int
}

// Size is the number of values in the parameter.
func (p *Param) Size() int { return len(p.Value) }

// base carries what every layer has: a name and its two shapes.
type base struct {
	name    string
	in, out Shape
}

func (b *base) Name() string       { return b.name }
func (b *base) setName(s string)   { b.name = s }
func (b *base) InputShape() Shape  { return b.in }
func (b *base) OutputShape() Shape { return b.out }
func (b *base) Params() []*Param   { return nil }
func (b *base) scratch(n int) int  { return 0 }
func (b *base) errorf(format string, args ...any) error {
	return fmt.Errorf("nn: layer %s: %s", b.name, fmt.Sprintf(format, args...))
}

// Workspace is a Runner's scratch memory and the Kernel its layers use.
type Workspace struct {
	Kernel Kernel
	buf    []float32
	add    func(alpha float32, x, y []float32) // y += alpha*x, vectorised where the kernel offers it
	vec    vectorOps
	looked bool
	fuse   *fusedLoss // set by Runner.ForwardBackward around the output layer's Forward
}

// fusedLoss asks the sigmoid of the next biasAct to also take the binary
// cross-entropy against y and seed the gradient dz (see sigmoidBCE).
type fusedLoss struct {
	y, dz []float32
	scale float32
	sum   float64
	done  bool
}

// vectorOps are element-wise loops a kernel may run vectorised (the
// WebAssembly SIMD module, where Go's scalar code is slowest). Each reports
// whether it handled the call; when it did not, the scalar code runs.
type vectorOps interface {
	biasAct(a Activation, y, bias []float32) bool
	reluGrad(y, dy []float32) bool
	bceSum(p, y []float32) (float64, bool)
	patches(src []float32, h, w, c, oh, ow, kh, kw, stride, padT, padL int, col []float32) bool
	// One image each (h×w×c in, oh×ow×c out), c a multiple of 4.
	maxPool(x []float32, h, w, c, oh, ow, size, padT, padL int, y []float32) bool
	maxPoolGrad(x, y, dy, dx []float32, h, w, c, oh, ow, size, padT, padL int) bool
	upsample(x []float32, h, w, c, s int, y []float32) bool
	upsampleGrad(dy []float32, h, w, c, s int, dx []float32) bool
	colSums(dst, m []float32) bool
	adam(w, g, m, v []float32, om1, om2, alpha, eps float32) bool
	add(dst, src []float32) bool
	finite(x []float32) (ok, done bool)
	scaledDiff(dz, p, y []float32, scale float32) bool
	sigmoidBCE(z, bias, y, dz []float32, scale float32) (float64, bool)
	// One image: y (oh×ow) from z (h×w pixels, nine taps each).
	sumTaps3(z, y []float32, h, w, oh, ow, padT, padL int) bool
	toFloat(dst []float32, src []uint8) bool
}

func (w *Workspace) vector() vectorOps {
	if !w.looked {
		w.vec, _ = w.Kernel.(vectorOps)
		w.looked = true
	}
	return w.vec
}

// biasAct adds the bias and applies the activation (see biasAct).
func (w *Workspace) biasAct(a Activation, y, bias []float32) {
	if f := w.fuse; f != nil && a == Sigmoid {
		w.fuse = nil
		f.done = true
		if v := w.vector(); v != nil {
			if s, ok := v.sigmoidBCE(y, bias, f.y, f.dz, f.scale); ok {
				f.sum = s
				return
			}
		}
		f.sum = sigmoidBCE(y, bias, f.y, f.dz, f.scale)
		return
	}
	if v := w.vector(); v != nil && v.biasAct(a, y, bias) {
		return
	}
	biasAct(a, y, bias)
}

// colSums adds the column sums of m (len(dst) columns) into dst: the bias
// gradient.
func (w *Workspace) colSums(dst, m []float32) {
	if v := w.vector(); v != nil && v.colSums(dst, m) {
		return
	}
	addColumnSums(dst, m)
}

// patches is im2col (see patches).
func (w *Workspace) patches(src []float32, h, wd, c, oh, ow, kh, kw, stride, padT, padL int, col []float32) {
	if v := w.vector(); v != nil && v.patches(src, h, wd, c, oh, ow, kh, kw, stride, padT, padL, col) {
		return
	}
	patches(src, h, wd, c, oh, ow, kh, kw, stride, padT, padL, col)
}

// actGrad turns dy into the pre-activation gradient (see actGrad).
func (w *Workspace) actGrad(a Activation, y, dy []float32) {
	if v := w.vector(); v != nil && a == ReLU && v.reluGrad(y[:len(dy)], dy) {
		return
	}
	actGrad(a, y, dy)
}

// Axpyer is implemented by kernels that also offer a vectorised y += alpha*x,
// which the layers use for their element-wise accumulations.
type Axpyer interface {
	Axpy(alpha float32, x, y []float32)
}

// axpy adds alpha*x into y with the kernel's vector code, if it has any.
func (w *Workspace) axpy(alpha float32, x, y []float32) {
	if w.add == nil {
		w.add = axpyGo
		if a, ok := w.Kernel.(Axpyer); ok {
			w.add = a.Axpy
		}
	}
	w.add(alpha, x, y)
}

// floats returns n floats of scratch. It only allocates when a Runner first
// meets a larger need than it was sized for.
func (w *Workspace) floats(n int) []float32 {
	if cap(w.buf) < n {
		w.buf = make([]float32, n)
	}
	return w.buf[:n]
}
