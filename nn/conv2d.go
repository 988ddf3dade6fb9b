package nn

// Conv2DLayer is Keras' Conv2D on NHWC input: y = act(conv(x, W) + b) with W
// of shape [kh, kw, cin, cout]. It is lowered to a GEMM: the patches under
// the kernel (im2col, ordered kh, kw, cin exactly like W's rows) times W
// gives the output directly in NHWC order.
type Conv2DLayer struct {
	base
	Filters      int
	KH, KW       int
	Stride       int
	Pad          Padding
	Act          Activation
	kernel, bias Param
	h, w, cin    int // input
	oh, ow       int // output
	padT, padL   int
	group        int // samples per GEMM: enough rows to keep the GEMM busy, few enough that the patches stay in cache
}

// Conv2D returns a convolution with a k×k kernel, the given stride, padding
// and activation.
func Conv2D(filters, k, stride int, pad Padding, act Activation) *Conv2DLayer {
	return &Conv2DLayer{Filters: filters, KH: k, KW: k, Stride: stride, Pad: pad, Act: act}
}

func (l *Conv2DLayer) Type() string     { return "Conv2D" }
func (l *Conv2DLayer) Params() []*Param { return []*Param{&l.kernel, &l.bias} }

// colTarget is the size, in floats, the patch matrix of one GEMM aims for.
const colTarget = 1 << 16

func (l *Conv2DLayer) build(in Shape) (Shape, error) {
	if len(in) != 3 {
		return nil, l.errorf("Conv2D needs an input of shape [h w c], got %v", in)
	}
	if l.Filters <= 0 || l.KH <= 0 || l.KW <= 0 || l.Stride <= 0 {
		return nil, l.errorf("filters, kernel size and stride must be positive")
	}
	l.h, l.w, l.cin = in[0], in[1], in[2]
	var okH, okW bool
	l.oh, l.padT, okH = outSize(l.h, l.KH, l.Stride, l.Pad)
	l.ow, l.padL, okW = outSize(l.w, l.KW, l.Stride, l.Pad)
	if !okH || !okW {
		return nil, l.errorf("a %dx%d kernel does not fit a %dx%d input with 'valid' padding", l.KH, l.KW, l.h, l.w)
	}
	l.in, l.out = in.clone(), Shape{l.oh, l.ow, l.Filters}
	k := l.KH * l.KW * l.cin
	l.kernel = Param{Name: l.name + "/kernel", Shape: []int{l.KH, l.KW, l.cin, l.Filters}, Value: make([]float32, k*l.Filters),
		fanIn: k, fanOut: l.KH * l.KW * l.Filters}
	l.bias = Param{Name: l.name + "/bias", Shape: []int{l.Filters}, Value: make([]float32, l.Filters)}
	l.group = max(1, colTarget/(l.oh*l.ow*k))
	return l.out, nil
}

func (l *Conv2DLayer) scratch(n int) int {
	return 2 * min(n, l.group) * l.oh * l.ow * l.KH * l.KW * l.cin
}

func (l *Conv2DLayer) Forward(ws *Workspace, x, y []float32, n int) {
	p, k, cout := l.oh*l.ow, l.KH*l.KW*l.cin, l.Filters
	inSize := l.h * l.w * l.cin
	for s0 := 0; s0 < n; s0 += l.group {
		g := min(l.group, n-s0)
		col := ws.floats(l.scratch(n))[:g*p*k]
		for i := 0; i < g; i++ {
			l.im2col(x[(s0+i)*inSize:], col[i*p*k:])
		}
		ws.Kernel.Gemm(false, false, g*p, cout, k, 1, col, k, l.kernel.Value, cout, 0, y[s0*p*cout:], cout)
	}
	biasAct(l.Act, y[:n*p*cout], l.bias.Value)
}

func (l *Conv2DLayer) Backward(ws *Workspace, x, y, dy, dx []float32, grads [][]float32, n int) {
	actGrad(l.Act, y, dy[:n*l.out.Size()])
	l.backwardPre(ws, x, dy, dx, grads, n)
}

func (l *Conv2DLayer) activation() Activation { return l.Act }

func (l *Conv2DLayer) backwardPre(ws *Workspace, x, dz, dx []float32, grads [][]float32, n int) {
	p, k, cout := l.oh*l.ow, l.KH*l.KW*l.cin, l.Filters
	inSize := l.h * l.w * l.cin
	dz = dz[:n*p*cout]
	addColumnSums(grads[1], dz)
	for s0 := 0; s0 < n; s0 += l.group {
		g := min(l.group, n-s0)
		buf := ws.floats(l.scratch(n))
		col, dcol := buf[:g*p*k], buf[g*p*k:2*g*p*k]
		for i := 0; i < g; i++ {
			l.im2col(x[(s0+i)*inSize:], col[i*p*k:])
		}
		dzg := dz[s0*p*cout:]
		ws.Kernel.Gemm(true, false, k, cout, g*p, 1, col, k, dzg, cout, 1, grads[0], cout)
		if dx != nil {
			ws.Kernel.Gemm(false, true, g*p, k, cout, 1, dzg, cout, l.kernel.Value, cout, 0, dcol, k)
			for i := 0; i < g; i++ {
				l.col2im(ws, dcol[i*p*k:], dx[(s0+i)*inSize:(s0+i+1)*inSize])
			}
		}
	}
}

// im2col writes, for each output position, the input patch under the kernel
// (zeros where it hangs over the padding) as one row of col. A kernel row
// that lies inside the image is one contiguous run of KW*cin inputs in
// NHWC, copied at once.
func (l *Conv2DLayer) im2col(x, col []float32) {
	c := l.cin
	run := l.KW * c
	i := 0
	for oy := 0; oy < l.oh; oy++ {
		for ox := 0; ox < l.ow; ox++ {
			ix0 := ox*l.Stride - l.padL
			inside := ix0 >= 0 && ix0+l.KW <= l.w
			for ky := 0; ky < l.KH; ky++ {
				iy := oy*l.Stride - l.padT + ky
				dst := col[i : i+run]
				i += run
				switch {
				case iy < 0 || iy >= l.h:
					clear(dst)
				case inside:
					copy(dst, x[(iy*l.w+ix0)*c:])
				default:
					for kx := 0; kx < l.KW; kx++ {
						ix := ix0 + kx
						if ix < 0 || ix >= l.w {
							clear(dst[kx*c : (kx+1)*c])
						} else {
							copy(dst[kx*c:(kx+1)*c], x[(iy*l.w+ix)*c:])
						}
					}
				}
			}
		}
	}
}

// col2im is im2col's adjoint: it overwrites dx with the sum, over every
// patch an input pixel appears in, of that patch row's gradient.
func (l *Conv2DLayer) col2im(ws *Workspace, dcol, dx []float32) {
	clear(dx)
	c := l.cin
	run := l.KW * c
	i := 0
	for oy := 0; oy < l.oh; oy++ {
		for ox := 0; ox < l.ow; ox++ {
			ix0 := ox*l.Stride - l.padL
			inside := ix0 >= 0 && ix0+l.KW <= l.w
			for ky := 0; ky < l.KH; ky++ {
				iy := oy*l.Stride - l.padT + ky
				src := dcol[i : i+run]
				i += run
				switch {
				case iy < 0 || iy >= l.h:
				case inside:
					ws.axpy(1, src, dx[(iy*l.w+ix0)*c:(iy*l.w+ix0)*c+run])
				default:
					for kx := 0; kx < l.KW; kx++ {
						if ix := ix0 + kx; ix >= 0 && ix < l.w {
							dst := dx[(iy*l.w+ix)*c : (iy*l.w+ix+1)*c]
							for j, v := range src[kx*c : (kx+1)*c] {
								dst[j] += v
							}
						}
					}
				}
			}
		}
	}
}
