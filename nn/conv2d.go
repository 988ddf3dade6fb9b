package nn

// Conv2DLayer is Keras' Conv2D on NHWC input: y = act(conv(x, W) + b) with W
// of shape [kh, kw, cin, cout]. It is lowered to a GEMM: the patches under
// the kernel (im2col, ordered kh, kw, cin exactly like W's rows) times W
// gives the output directly in NHWC order. A 3×3, stride-1 convolution may
// run by Winograd's F(2×2, 3×3) instead, where the kernel's Tuning says it
// is faster (see winograd.go).
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
	g := min(n, l.group)
	k, kt := l.KH*l.KW*l.cin, l.KH*l.KW*l.Filters
	fwd := g * l.oh * l.ow * k
	if l.Stride != 1 {
		return 2*fwd + k*l.Filters // patches, their gradient (col2im), dWᵀ
	}
	// Patches and dWᵀ (the forward pass, and the first layer's backward), or
	// the patches of dz, the flipped kernel and the weight-gradient product;
	// or Winograd's.
	s := max(fwd+k*l.Filters, g*l.h*l.w*kt+2*kt*l.cin)
	if l.winoEligible() {
		s = max(s, l.winoScratch(n))
	}
	return s
}

func (l *Conv2DLayer) clone() Layer {
	return &Conv2DLayer{base: base{name: l.name}, Filters: l.Filters, KH: l.KH, KW: l.KW, Stride: l.Stride, Pad: l.Pad, Act: l.Act}
}

func (l *Conv2DLayer) macs() int { return l.oh * l.ow * l.KH * l.KW * l.cin * l.Filters }

func (l *Conv2DLayer) Forward(ws *Workspace, x, y []float32, n int) {
	ws.Kernel.BiasAct(l.Act, y[:n*l.out.Size()], l.forwardPre(ws, x, y, n))
}

// forwardPre writes the pre-activations x·W (without the bias, which it
// returns) into z.
func (l *Conv2DLayer) forwardPre(ws *Workspace, x, z []float32, n int) (bias []float32) {
	if l.direct(ws.Kernel.Tuning()) {
		g := l.window()
		in, out := l.h*l.w*l.cin, l.oh*l.ow*l.Filters
		for s := 0; s < n; s++ {
			ws.Kernel.Conv(x[s*in:(s+1)*in], g, l.kernel.Value, z[s*out:(s+1)*out])
		}
		return l.bias.Value
	}
	if l.winograd(ws.Kernel.Tuning().WinogradFwd) {
		l.forwardWinograd(ws, x, z, n)
		return l.bias.Value
	}
	// With far fewer outputs than inputs (the last layer's one channel),
	// summing taps can beat building patches (see Tuning).
	if l.Stride == 1 && 4*l.Filters <= l.cin && ws.Kernel.Tuning().TapSums {
		l.forwardTaps(ws, x, z, n)
		return l.bias.Value
	}
	l.forwardPatches(ws, x, z, n)
	return l.bias.Value
}

// forwardPatches is the convolution as im2col and a GEMM.
func (l *Conv2DLayer) forwardPatches(ws *Workspace, x, y []float32, n int) {
	p, k, cout := l.oh*l.ow, l.KH*l.KW*l.cin, l.Filters
	inSize := l.h * l.w * l.cin
	g0 := l.window()
	for s0 := 0; s0 < n; s0 += l.group {
		g := min(l.group, n-s0)
		col := ws.floats(l.scratch(n))[:g*p*k]
		for i := 0; i < g; i++ {
			ws.Kernel.Patches(x[(s0+i)*inSize:], g0, col[i*p*k:])
		}
		ws.Kernel.Gemm(false, false, g*p, cout, k, 1, col, k, l.kernel.Value, cout, 0, y[s0*p*cout:], cout)
	}
}

// window is the kernel's geometry over one input image.
func (l *Conv2DLayer) window() Window {
	return Window{H: l.h, W: l.w, C: l.cin, OH: l.oh, OW: l.ow, KH: l.KH, KW: l.KW, Stride: l.Stride, PadT: l.padT, PadL: l.padL}
}

func (l *Conv2DLayer) Backward(ws *Workspace, x, y, dy, dx []float32, grads [][]float32, n int) {
	ws.Kernel.ActGrad(l.Act, y, dy[:n*l.out.Size()])
	l.backwardPre(ws, x, dy, dx, grads, n)
}

func (l *Conv2DLayer) activation() Activation { return l.Act }

func (l *Conv2DLayer) backwardPre(ws *Workspace, x, dz, dx []float32, grads [][]float32, n int) {
	p, cout := l.oh*l.ow, l.Filters
	dz = dz[:n*p*cout]
	ws.Kernel.ColSums(grads[1], dz)
	if l.direct(ws.Kernel.Tuning()) {
		l.backwardDirect(ws, x, dz, dx, grads[0], n)
		return
	}
	if l.winograd(ws.Kernel.Tuning().WinogradBwd) {
		l.backwardWinograd(ws, x, dz, dx, grads[0], n)
		return
	}
	if dx != nil && l.Stride == 1 {
		l.backwardStride1(ws, x, dz, dx, grads[0], n)
		return
	}
	k := l.KH * l.KW * l.cin
	inSize := l.h * l.w * l.cin
	buf := ws.floats(l.scratch(n))
	g0 := min(n, l.group)
	col := buf[:g0*p*k]
	// The weight gradient is accumulated transposed, dWᵀ = dzᵀ·patches:
	// the GEMM then transposes dz (cout columns) rather than the patches
	// (kh·kw·cin columns, often many more).
	dwT := buf[g0*p*k : g0*p*k+k*cout]
	clear(dwT)
	var dcol []float32
	if dx != nil {
		dcol = buf[g0*p*k+k*cout : 2*g0*p*k+k*cout]
	}
	for s0 := 0; s0 < n; s0 += l.group {
		g := min(l.group, n-s0)
		for i := 0; i < g; i++ {
			ws.Kernel.Patches(x[(s0+i)*inSize:], l.window(), col[i*p*k:])
		}
		dzg := dz[s0*p*cout:]
		ws.Kernel.Gemm(true, false, cout, k, g*p, 1, dzg, cout, col, k, 1, dwT, k)
		if dx != nil { // the direct adjoint, for strides over 1
			ws.Kernel.Gemm(false, true, g*p, k, cout, 1, dzg, cout, l.kernel.Value, cout, 0, dcol, k)
			for i := 0; i < g; i++ {
				l.col2im(ws, dcol[i*p*k:], dx[(s0+i)*inSize:(s0+i+1)*inSize])
			}
		}
	}
	dw := grads[0]
	for co := 0; co < cout; co++ {
		for kk, v := range dwT[co*k : (co+1)*k] {
			dw[kk*cout+co] += v
		}
	}
}

// direct reports whether the layer runs as a direct convolution under a
// tuning (see Tuning.Direct).
func (l *Conv2DLayer) direct(t Tuning) bool {
	return t.Direct && l.Stride == 1 && (l.cin == 1 || l.Filters == 1)
}

// backwardDirect is the backward pass by direct convolutions: the kernel's
// gradient image by image, and dx as the convolution of dz by the flipped
// kernel (see backwardStride1).
func (l *Conv2DLayer) backwardDirect(ws *Workspace, x, dz, dx, dw []float32, n int) {
	in, out := l.h*l.w*l.cin, l.oh*l.ow*l.Filters
	g := l.window()
	for s := 0; s < n; s++ {
		ws.Kernel.ConvFilterGrad(x[s*in:(s+1)*in], g, dz[s*out:(s+1)*out], dw)
	}
	if dx == nil {
		return
	}
	flipped := ws.floats(l.scratch(n))[:len(l.kernel.Value)]
	l.flipKernel(flipped)
	dg := Window{H: l.oh, W: l.ow, C: l.Filters, OH: l.h, OW: l.w, KH: l.KH, KW: l.KW, Stride: 1, PadT: l.KH - 1 - l.padT, PadL: l.KW - 1 - l.padL}
	for s := 0; s < n; s++ {
		ws.Kernel.Conv(dz[s*out:(s+1)*out], dg, flipped, dx[s*in:(s+1)*in])
	}
}

// backwardStride1 is the backward pass of a stride-1 convolution. dx is
// itself a convolution: of dz, by the kernel flipped in space with its
// channels swapped, padded so the output has the input's size; that is the
// patches of dz (dcol) and a GEMM, where the direct adjoint (a GEMM, then
// scattering patch gradients back with col2im) spends its time in scalar
// additions. The same patches give the weight gradient,
//
//	dW[ky,kx,ci,co] = Σ_p x[p,ci]·dcol[p, (KH-1-ky, KW-1-kx, co)],
//
// so the input's patches need not be built again: xᵀ·dcol, with x read in
// place. (For a layer with few output channels, such as the last, dz's
// patches are far smaller than x's.)
func (l *Conv2DLayer) backwardStride1(ws *Workspace, x, dz, dx, dw []float32, n int) {
	p, cout, cin := l.oh*l.ow, l.Filters, l.cin
	hw := l.h * l.w
	inSize := hw * cin
	kt := l.KH * l.KW * cout
	buf := ws.floats(l.scratch(n))
	g0 := min(n, l.group)
	dcol := buf[:g0*hw*kt]
	flipped := buf[g0*hw*kt : g0*hw*kt+kt*cin]
	r := buf[g0*hw*kt+kt*cin : g0*hw*kt+2*kt*cin]
	l.flipKernel(flipped)
	clear(r)
	// dz padded so that the windows give the input's size.
	dg := Window{H: l.oh, W: l.ow, C: cout, OH: l.h, OW: l.w, KH: l.KH, KW: l.KW, Stride: 1, PadT: l.KH - 1 - l.padT, PadL: l.KW - 1 - l.padL}
	for s0 := 0; s0 < n; s0 += l.group {
		g := min(l.group, n-s0)
		for i := 0; i < g; i++ {
			ws.Kernel.Patches(dz[(s0+i)*p*cout:], dg, dcol[i*hw*kt:])
		}
		ws.Kernel.Gemm(false, false, g*hw, cin, kt, 1, dcol, kt, flipped, cin, 0, dx[s0*inSize:], cin)
		ws.Kernel.Gemm(true, false, cin, kt, g*hw, 1, x[s0*inSize:], cin, dcol, kt, 1, r, kt)
	}
	for ky := 0; ky < l.KH; ky++ {
		for kx := 0; kx < l.KW; kx++ {
			tap := ((l.KH-1-ky)*l.KW + (l.KW - 1 - kx)) * cout
			for ci := 0; ci < cin; ci++ {
				src := r[ci*kt+tap : ci*kt+tap+cout]
				dst := dw[((ky*l.KW+kx)*cin+ci)*cout:]
				for co, v := range src {
					dst[co] += v
				}
			}
		}
	}
}

// forwardTaps computes a stride-1 convolution with fewer output channels
// than input ones without the input's patches: Z = x·W', where row ci of
// W' holds W[ky][kx][ci][:] for every tap, gives each input pixel's
// contribution to every tap, and each output sums its taps' contributions
// from the pixels under its window. Z has kh·kw·cout values per pixel,
// fewer than the kh·kw·cin of the patches (the last layer's: 9 against
// 144), and x is read in place.
func (l *Conv2DLayer) forwardTaps(ws *Workspace, x, y []float32, n int) {
	cin, cout := l.cin, l.Filters
	hw, p := l.h*l.w, l.oh*l.ow
	kt := l.KH * l.KW * cout
	buf := ws.floats(l.scratch(n))
	g0 := min(n, l.group)
	z := buf[:g0*hw*kt]
	wz := buf[g0*hw*kt : g0*hw*kt+cin*kt]
	w := l.kernel.Value
	for t := 0; t < l.KH*l.KW; t++ {
		for ci := 0; ci < cin; ci++ {
			copy(wz[ci*kt+t*cout:ci*kt+(t+1)*cout], w[(t*cin+ci)*cout:])
		}
	}
	tg := Window{H: l.h, W: l.w, C: cout, OH: l.oh, OW: l.ow, KH: l.KH, KW: l.KW, Stride: 1, PadT: l.padT, PadL: l.padL}
	for s0 := 0; s0 < n; s0 += l.group {
		g := min(l.group, n-s0)
		ws.Kernel.Gemm(false, false, g*hw, kt, cin, 1, x[s0*hw*cin:], cin, wz, kt, 0, z, kt)
		for i := 0; i < g; i++ {
			ws.Kernel.SumTaps(z[i*hw*kt:(i+1)*hw*kt], tg, y[(s0+i)*p*cout:(s0+i+1)*p*cout])
		}
	}
}

// flipKernel writes W'[ky][kx][co][ci] = W[KH-1-ky][KW-1-kx][ci][co]: the
// kernel of the convolution that maps dz to dx for stride 1.
func (l *Conv2DLayer) flipKernel(dst []float32) {
	cin, cout := l.cin, l.Filters
	w := l.kernel.Value
	for ky := 0; ky < l.KH; ky++ {
		for kx := 0; kx < l.KW; kx++ {
			src := w[((l.KH-1-ky)*l.KW+(l.KW-1-kx))*cin*cout:]
			d := dst[(ky*l.KW+kx)*cout*cin:]
			for ci := 0; ci < cin; ci++ {
				for co := 0; co < cout; co++ {
					d[co*cin+ci] = src[ci*cout+co]
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
					ws.Kernel.Axpy(1, src, dx[(iy*l.w+ix0)*c:(iy*l.w+ix0)*c+run])
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
