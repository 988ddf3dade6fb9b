package nn

// UpSampling2DLayer is Keras' UpSampling2D with nearest-neighbour
// interpolation: every pixel becomes a size×size block.
type UpSampling2DLayer struct {
	base
	Size    int
	h, w, c int
}

// UpSampling2D returns a nearest-neighbour upsampling by size.
func UpSampling2D(size int) *UpSampling2DLayer { return &UpSampling2DLayer{Size: size} }

func (l *UpSampling2DLayer) Type() string { return "UpSampling2D" }

func (l *UpSampling2DLayer) clone() Layer {
	return &UpSampling2DLayer{base: base{name: l.name}, Size: l.Size}
}

func (l *UpSampling2DLayer) build(in Shape) (Shape, error) {
	if len(in) != 3 {
		return nil, l.errorf("UpSampling2D needs an input of shape [h w c], got %v", in)
	}
	if l.Size <= 0 {
		return nil, l.errorf("size must be positive, got %d", l.Size)
	}
	l.h, l.w, l.c = in[0], in[1], in[2]
	l.in, l.out = in.clone(), Shape{l.h * l.Size, l.w * l.Size, l.c}
	return l.out, nil
}

func (l *UpSampling2DLayer) Forward(ws *Workspace, x, y []float32, n int) {
	in, out := l.h*l.w*l.c, l.h*l.w*l.c*l.Size*l.Size
	for i := 0; i < n; i++ {
		ws.Kernel.Upsample(x[i*in:(i+1)*in], l.h, l.w, l.c, l.Size, y[i*out:(i+1)*out])
	}
}

func (l *UpSampling2DLayer) Backward(ws *Workspace, x, y, dy, dx []float32, grads [][]float32, n int) {
	if dx == nil {
		return
	}
	in, out := l.h*l.w*l.c, l.h*l.w*l.c*l.Size*l.Size
	for i := 0; i < n; i++ {
		ws.Kernel.UpsampleGrad(dy[i*out:(i+1)*out], l.h, l.w, l.c, l.Size, dx[i*in:(i+1)*in])
	}
}
