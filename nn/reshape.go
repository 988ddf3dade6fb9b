package nn

// ReshapeLayer is Keras' Reshape (and, with a nil target, Flatten). NHWC
// batches are contiguous, so both are a copy of the data under a new shape.
type ReshapeLayer struct {
	base
	Target  Shape // Reshape's target; Flatten has none
	flatten bool
}

func (l *ReshapeLayer) clone() Layer {
	return &ReshapeLayer{base: base{name: l.name}, Target: l.Target.clone(), flatten: l.flatten}
}

// Flatten returns a layer that flattens each sample to one dimension.
func Flatten() *ReshapeLayer { return &ReshapeLayer{flatten: true} }

// Reshape returns a layer that gives each sample the target shape.
func Reshape(target ...int) *ReshapeLayer { return &ReshapeLayer{Target: Shape(target).clone()} }

func (l *ReshapeLayer) Type() string {
	if l.flatten {
		return "Flatten"
	}
	return "Reshape"
}

func (l *ReshapeLayer) build(in Shape) (Shape, error) {
	l.in = in.clone()
	if l.flatten {
		l.out = Shape{in.Size()}
		return l.out, nil
	}
	if l.Target.Size() != in.Size() {
		return nil, l.errorf("cannot reshape %v (%d values) to %v (%d values)", in, in.Size(), l.Target, l.Target.Size())
	}
	l.out = l.Target.clone()
	return l.out, nil
}

func (l *ReshapeLayer) Forward(ws *Workspace, x, y []float32, n int) {
	copy(y[:n*l.in.Size()], x)
}

func (l *ReshapeLayer) Backward(ws *Workspace, x, y, dy, dx []float32, grads [][]float32, n int) {
	if dx != nil {
		copy(dx[:n*l.in.Size()], dy)
	}
}
