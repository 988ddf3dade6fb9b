package nn

// MaxPool2DLayer is Keras' MaxPooling2D with a square pool whose stride
// equals its size (Keras' default). Padded positions never win the max.
type MaxPool2DLayer struct {
	base
	Size       int
	Pad        Padding
	h, w, c    int
	oh, ow     int
	padT, padL int
}

// MaxPool2D returns a size×size max pooling with stride size.
func MaxPool2D(size int, pad Padding) *MaxPool2DLayer {
	return &MaxPool2DLayer{Size: size, Pad: pad}
}

func (l *MaxPool2DLayer) Type() string { return "MaxPooling2D" }

func (l *MaxPool2DLayer) clone() Layer {
	return &MaxPool2DLayer{base: base{name: l.name}, Size: l.Size, Pad: l.Pad}
}

func (l *MaxPool2DLayer) build(in Shape) (Shape, error) {
	if len(in) != 3 {
		return nil, l.errorf("MaxPooling2D needs an input of shape [h w c], got %v", in)
	}
	if l.Size <= 0 {
		return nil, l.errorf("pool size must be positive, got %d", l.Size)
	}
	l.h, l.w, l.c = in[0], in[1], in[2]
	var okH, okW bool
	l.oh, l.padT, okH = outSize(l.h, l.Size, l.Size, l.Pad)
	l.ow, l.padL, okW = outSize(l.w, l.Size, l.Size, l.Pad)
	if !okH || !okW {
		return nil, l.errorf("a %dx%d pool does not fit a %dx%d input with 'valid' padding", l.Size, l.Size, l.h, l.w)
	}
	l.in, l.out = in.clone(), Shape{l.oh, l.ow, l.c}
	return l.out, nil
}

// window is the pool's geometry over one image.
func (l *MaxPool2DLayer) window() Window {
	return Window{H: l.h, W: l.w, C: l.c, OH: l.oh, OW: l.ow, KH: l.Size, KW: l.Size, Stride: l.Size, PadT: l.padT, PadL: l.padL}
}

func (l *MaxPool2DLayer) Forward(ws *Workspace, x, y []float32, n int) {
	g := l.window()
	inSize, outSize := l.h*l.w*l.c, l.oh*l.ow*l.c
	for s := 0; s < n; s++ {
		ws.Kernel.MaxPool(x[s*inSize:(s+1)*inSize], g, y[s*outSize:(s+1)*outSize])
	}
}

// Backward sends each output's gradient to the first input (in row-major
// window order) that holds the maximum, as TensorFlow's MaxPoolGrad does.
func (l *MaxPool2DLayer) Backward(ws *Workspace, x, y, dy, dx []float32, grads [][]float32, n int) {
	if dx == nil {
		return
	}
	g := l.window()
	inSize, outSize := l.h*l.w*l.c, l.oh*l.ow*l.c
	for s := 0; s < n; s++ {
		in, out := s*inSize, s*outSize
		ws.Kernel.MaxPoolGrad(x[in:in+inSize], y[out:out+outSize], dy[out:out+outSize], g, dx[in:in+inSize])
	}
}
