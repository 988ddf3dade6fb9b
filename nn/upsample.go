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
	s, c := l.Size, l.c
	ow := l.w * s
	if v := ws.vector(); v != nil {
		in, out := l.h*l.w*c, l.h*l.w*c*s*s
		done := true
		for i := 0; i < n && done; i++ {
			done = v.upsample(x[i*in:(i+1)*in], l.h, l.w, c, s, y[i*out:(i+1)*out])
		}
		if done {
			return
		}
	}
	for i := 0; i < n*l.h; i++ { // i runs over (sample, input row)
		src := x[i*l.w*c : (i+1)*l.w*c]
		dst := y[i*s*ow*c : (i+1)*s*ow*c]
		row := dst[:ow*c]
		for ix := 0; ix < l.w; ix++ {
			px := src[ix*c : (ix+1)*c]
			for k := 0; k < s; k++ {
				copy(row[(ix*s+k)*c:], px)
			}
		}
		for k := 1; k < s; k++ {
			copy(dst[k*ow*c:], row)
		}
	}
}

func (l *UpSampling2DLayer) Backward(ws *Workspace, x, y, dy, dx []float32, grads [][]float32, n int) {
	if dx == nil {
		return
	}
	s, c := l.Size, l.c
	ow := l.w * s
	if v := ws.vector(); v != nil {
		in, out := l.h*l.w*c, l.h*l.w*c*s*s
		done := true
		for i := 0; i < n && done; i++ {
			done = v.upsampleGrad(dy[i*out:(i+1)*out], l.h, l.w, c, s, dx[i*in:(i+1)*in])
		}
		if done {
			return
		}
	}
	for i := 0; i < n*l.h; i++ {
		dst := dx[i*l.w*c : (i+1)*l.w*c]
		clear(dst)
		src := dy[i*s*ow*c : (i+1)*s*ow*c]
		for k := 0; k < s; k++ {
			row := src[k*ow*c : (k+1)*ow*c]
			for ix := 0; ix < l.w; ix++ {
				px := dst[ix*c : (ix+1)*c]
				for m := 0; m < s; m++ {
					for ch, v := range row[(ix*s+m)*c : (ix*s+m+1)*c] {
						px[ch] += v
					}
				}
			}
		}
	}
}
