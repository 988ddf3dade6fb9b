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
	// macs is how many multiply-adds Forward takes for one sample.
	macs() int
	// clone returns an unbuilt layer of the same kind, arguments and name.
	clone() Layer
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
func (b *base) macs() int          { return 0 }
func (b *base) errorf(format string, args ...any) error {
	return fmt.Errorf("nn: layer %s: %s", b.name, fmt.Sprintf(format, args...))
}

// Workspace is a Runner's scratch memory and the Kernel its layers use.
type Workspace struct {
	Kernel Kernel
	buf    []float32
	// state is the running layer's own memory of the batch, for stateful
	// layers (the Runner keeps one per layer and sets it before each call).
	state []float32
	// klScale weighs a Sampling layer's KL term in its Backward: the
	// penalty's β in the gradient's units; 0 without one.
	klScale float32
	// cache is the running layer's own memory of its weights, transformed
	// (see cached), kept from call to call; reuse says that the weights
	// have not changed since the layer last filled it (a later chunk of
	// the same ForwardBackward).
	cache []float32
	reuse bool
}

// cached layers keep a transform of their weights in Workspace.cache, so
// that the chunks of one ForwardBackward (see Runner) transform them once.
type cached interface {
	// cacheSize is how many floats the cache takes under a kernel's
	// tuning; 0 for none.
	cacheSize(t Tuning) int
}

// floats returns n floats of scratch. It only allocates when a Runner first
// meets a larger need than it was sized for.
func (w *Workspace) floats(n int) []float32 {
	if cap(w.buf) < n {
		w.buf = make([]float32, n)
	}
	return w.buf[:n]
}
