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

// window returns the input rows and columns [y0,y1)×[x0,x1) that output
// (oy, ox) pools, with the padding cut away.
func (l *MaxPool2DLayer) window(oy, ox int) (y0, y1, x0, x1 int) {
	y0, x0 = oy*l.Size-l.padT, ox*l.Size-l.padL
	y1, x1 = min(y0+l.Size, l.h), min(x0+l.Size, l.w)
	return max(y0, 0), y1, max(x0, 0), x1
}

func (l *MaxPool2DLayer) Forward(ws *Workspace, x, y []float32, n int) {
	inSize, outSize := l.h*l.w*l.c, l.oh*l.ow*l.c
	v := ws.vector()
	for s := 0; s < n; s++ {
		xs, ys := x[s*inSize:(s+1)*inSize], y[s*outSize:(s+1)*outSize]
		if v != nil && v.maxPool(xs, l.h, l.w, l.c, l.oh, l.ow, l.Size, l.padT, l.padL, ys) {
			continue
		}
		for oy := 0; oy < l.oh; oy++ {
			for ox := 0; ox < l.ow; ox++ {
				y0, y1, x0, x1 := l.window(oy, ox)
				dst := ys[(oy*l.ow+ox)*l.c : (oy*l.ow+ox+1)*l.c]
				copy(dst, xs[(y0*l.w+x0)*l.c:])
				for iy := y0; iy < y1; iy++ {
					for ix := x0; ix < x1; ix++ {
						for ch, v := range xs[(iy*l.w+ix)*l.c : (iy*l.w+ix+1)*l.c] {
							if v > dst[ch] {
								dst[ch] = v
							}
						}
					}
				}
			}
		}
	}
}

// Backward sends each output's gradient to the first input (in row-major
// window order) that holds the maximum, as TensorFlow's MaxPoolGrad does.
func (l *MaxPool2DLayer) Backward(ws *Workspace, x, y, dy, dx []float32, grads [][]float32, n int) {
	if dx == nil {
		return
	}
	inSize, outSize := l.h*l.w*l.c, l.oh*l.ow*l.c
	v := ws.vector()
	// The vector path writes every input its windows cover; 'same' windows
	// cover all of them, so only otherwise must dx be zeroed first.
	covers := l.oh*l.Size-l.padT >= l.h && l.ow*l.Size-l.padL >= l.w
	if v == nil || !covers || l.c%4 != 0 {
		clear(dx[:n*inSize])
	}
	for s := 0; s < n; s++ {
		xs, ys, dys, dxs := x[s*inSize:(s+1)*inSize], y[s*outSize:], dy[s*outSize:], dx[s*inSize:(s+1)*inSize]
		if v != nil && v.maxPoolGrad(xs, ys[:outSize], dys[:outSize], dxs, l.h, l.w, l.c, l.oh, l.ow, l.Size, l.padT, l.padL) {
			continue
		}
		for oy := 0; oy < l.oh; oy++ {
			for ox := 0; ox < l.ow; ox++ {
				y0, y1, x0, x1 := l.window(oy, ox)
				o := (oy*l.ow + ox) * l.c
				for ch := 0; ch < l.c; ch++ {
					m := ys[o+ch]
				search:
					for iy := y0; iy < y1; iy++ {
						for ix := x0; ix < x1; ix++ {
							if i := (iy*l.w+ix)*l.c + ch; xs[i] == m {
								dxs[i] += dys[o+ch]
								break search
							}
						}
					}
				}
			}
		}
	}
}
