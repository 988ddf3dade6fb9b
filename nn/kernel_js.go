//go:build js && wasm && !purego

package nn

import (
	_ "embed"
	"math"
	"runtime"
	"syscall/js"
	"unsafe"
)

//go:generate go run ./internal/simdgen/gensimd

// The WebAssembly SIMD kernels (see internal/simdgen), embedded.
var (
	//go:embed simd_kernel.wasm
	simdKernelWasm []byte
	//go:embed simd_kernel_relaxed.wasm
	simdKernelRelaxedWasm []byte
)

// platformKernel returns the SIMD kernel when the page's loader has put
// the Go program's memory where the kernel module can import it
// (globalThis.aeplayGoMemory; see web/loader.js and web/worker.js) and the
// engine supports SIMD: the relaxed one (fused multiply-add where the CPU
// has it) where the engine validates it. Elsewhere (plain go_js_wasm_exec
// under node) only the portable kernel exists.
func platformKernel() Kernel {
	if k := simdKernelOf(true); k != nil {
		return k
	}
	return simdKernelOf(false)
}

// lesserKernels is the baseline SIMD kernel where the relaxed one was
// chosen, so that tests run both.
func lesserKernels() []func() Kernel {
	if simdKernelOf(true) == nil || simdKernelOf(false) == nil {
		return nil
	}
	return []func() Kernel{func() Kernel { return simdKernelOf(false) }}
}

// simdKernelOf returns the relaxed or the baseline SIMD kernel, or nil
// where the engine or the loader does not offer it.
func simdKernelOf(relaxed bool) Kernel {
	mem := js.Global().Get("aeplayGoMemory")
	wasm := js.Global().Get("WebAssembly")
	if !mem.Truthy() || !wasm.Truthy() || !mem.InstanceOf(wasm.Get("Memory")) {
		return nil
	}
	code, name := simdKernelWasm, "simd"
	if relaxed {
		code, name = simdKernelRelaxedWasm, "simd-relaxed"
	}
	if !wasm.Call("validate", bytesToJS(code)).Bool() {
		return nil // no SIMD128 (or no relaxed SIMD) in this engine
	}
	return newSIMDKernel(wasm, mem, code, name)
}

func bytesToJS(b []byte) js.Value {
	a := js.Global().Get("Uint8Array").New(len(b))
	js.CopyBytesToJS(a, b)
	return a
}

// simdKernel is GoKernel with the module's block GEMM, matrix-vector
// products and packing, and the module's element-wise and window loops
// where they apply; for other arguments (channel counts that are not a
// multiple of four, say) the embedded GoKernel's portable code runs. The
// module's arguments travel through a small array in Go's memory, so a
// call passes one prepared value and allocates nothing.
type simdKernel struct {
	GoKernel
	gemm, reluBias, sigmoidBias, reluGradFn, bceSumFn    js.Value
	gemvFn, gevmFn, patchesFn, packBFn, packATFn         js.Value
	maxPoolFn, maxPoolGradFn, upsampleFn, upsampleGradFn js.Value
	colSumsFn, adamFn, vaddFn, finiteFn                  js.Value
	scaledDiffFn, toFloatFn, sigmoidBCEFn, packBTFn      js.Value
	patches1Fn, sumTaps3Fn                               js.Value
	winoInFn, winoOutFn, winoGradOutFn, winoGradInFn     js.Value
	wino                                                 winoFuncs
	args                                                 []int32
	argsPtr                                              any
}

func newSIMDKernel(wasm, mem js.Value, code []byte, name string) *simdKernel {
	mod := wasm.Get("Module").New(bytesToJS(code))
	env := js.Global().Get("Object").New()
	env.Set("mem", mem)
	imports := js.Global().Get("Object").New()
	imports.Set("env", env)
	ex := wasm.Get("Instance").New(mod, imports).Get("exports")
	s := &simdKernel{gemm: ex.Get("gemm"), reluBias: ex.Get("reluBias"), sigmoidBias: ex.Get("sigmoidBias"),
		reluGradFn: ex.Get("reluGrad"), bceSumFn: ex.Get("bceSum"), gemvFn: ex.Get("gemv"), gevmFn: ex.Get("gevm"),
		patchesFn: ex.Get("patches"), packBFn: ex.Get("packB"), maxPoolFn: ex.Get("maxPool"), maxPoolGradFn: ex.Get("maxPoolGrad"),
		upsampleFn: ex.Get("upsample"), upsampleGradFn: ex.Get("upsampleGrad"), packATFn: ex.Get("packAT"), colSumsFn: ex.Get("colSums"), adamFn: ex.Get("adam"), vaddFn: ex.Get("vadd"), finiteFn: ex.Get("finite"), scaledDiffFn: ex.Get("scaledDiff"), toFloatFn: ex.Get("toFloat"), sigmoidBCEFn: ex.Get("sigmoidBCE"), packBTFn: ex.Get("packBT"), patches1Fn: ex.Get("patches1"), sumTaps3Fn: ex.Get("sumTaps3"),
		winoInFn: ex.Get("winoIn"), winoOutFn: ex.Get("winoOut"), winoGradOutFn: ex.Get("winoGradOut"), winoGradInFn: ex.Get("winoGradIn"),
		args: make([]int32, 12)}
	s.argsPtr = js.ValueOf(int(uintptr(unsafe.Pointer(&s.args[0]))))
	s.GoKernel = GoKernel{
		name:     name,
		shapes:   []microShape{{mr: 4, nr: 8, micro: micro4x8, block: s.block}},
		dot:      dotGo,
		axpy:     axpyGo,
		gemvFn:   s.gemv,
		gevmFn:   s.gevm,
		packBFn:  s.packB,
		packATFn: s.packAT,
	}
	s.wino = winoFuncs{in: s.winoIn, out: s.winoOut, gradOut: s.winoGradOut, gradIn: s.winoGradIn}
	s.GoKernel.wino = &s.wino
	return s
}

func (s *simdKernel) winoIn(src []float32, t WinogradTiles, v []float32) bool {
	return s.winograd(s.winoInFn, 4, src, t, v)
}
func (s *simdKernel) winoOut(m []float32, t WinogradTiles, dst []float32) bool {
	return s.winograd(s.winoOutFn, 2, dst, t, m)
}
func (s *simdKernel) winoGradOut(dz []float32, t WinogradTiles, m []float32) bool {
	return s.winograd(s.winoGradOutFn, 2, dz, t, m)
}
func (s *simdKernel) winoGradIn(q []float32, t WinogradTiles, dst []float32) bool {
	return s.winograd(s.winoGradInFn, 4, dst, t, q)
}

// winograd runs one of the module's Winograd transforms (all take the
// image, its tiles span×span pixels, and the transformed matrices alike)
// on channel counts that are a multiple of 4; for others it reports false
// and GoKernel's portable code runs.
func (s *simdKernel) winograd(fn js.Value, span int, img []float32, t WinogradTiles, tr []float32) bool {
	if !t.check(4, span, img, tr) {
		return false
	}
	a := s.args
	a[0], a[1], a[2], a[3], a[4] = addr(img), int32(t.Stride), int32(t.C), int32(t.TH), int32(t.TW)
	a[5], a[6] = addr(tr[t.K0*t.C:]), int32(t.Pos)
	fn.Invoke(s.argsPtr)
	runtime.KeepAlive(img)
	runtime.KeepAlive(tr)
	return true
}

// Tuning: summing taps avoids the patches' copies, which cost more here
// than natively. Winograd where both channel counts are at least 8, as
// natively: with the module's transforms it beat im2col on most catalogue
// layers, by the thread's CPU time per call (medians of 5 rounds of
// BenchmarkConvWinograd/.*/simd, -test.benchtime 200ms, under
// scripts/wasmexec/go_js_wasm_exec_simd, node 20; Winograd/im2col, fwd
// and bwd): 14×14×16→8 0.58, 1.08; 8×8×8→8 0.76, 1.14; 16×16×8→16 valid
// 0.66, 0.58; 14×14×32→32 0.64, 0.76; 7×7×32→32 0.74, 0.94. It lost on
// 4×4×8→8 (1.62, 1.47: four tiles an image, where the layer's per-image
// work dominates), which the channel counts cannot tell from 8×8×8. Over
// a training step (BenchmarkTrainStepWinograd/(conv|denoise)/,
// -test.benchtime 20x, CPU time, tuned/im2col, median of 9 and 5 rounds)
// conv gained ×1.07 and denoise ×1.29.
func (k *simdKernel) Tuning() Tuning { return Tuning{TapSums: true, WinogradFwd: 8, WinogradBwd: 8} }

func (k *simdKernel) ActGrad(a Activation, y, dy []float32) {
	if a != ReLU {
		actGrad(a, y, dy)
		return
	}
	k.reluGrad(y[:len(dy)], dy)
}

func (k *simdKernel) BCESum(p, y []float32) float64 { return k.bceSum(p, y) }

func (k *simdKernel) MaxPool(x []float32, g Window, y []float32) {
	if g.C%4 != 0 || g.KH != g.KW || g.Stride != g.KH {
		maxPool(x, g, y)
		return
	}
	if len(x) < g.H*g.W*g.C || len(y) < g.OH*g.OW*g.C {
		panic("nn: MaxPool: slice too short")
	}
	k.call(k.maxPoolFn, []any{x, g.H, g.W, g.C, g.OH, g.OW, g.KH, g.PadT, g.PadL, y})
}

func (k *simdKernel) MaxPoolGrad(x, y, dy []float32, g Window, dx []float32) {
	if g.C%4 != 0 || g.KH != g.KW || g.Stride != g.KH {
		maxPoolGrad(x, y, dy, g, dx)
		return
	}
	if len(x) < g.H*g.W*g.C || len(dx) < g.H*g.W*g.C || len(y) < g.OH*g.OW*g.C || len(dy) < g.OH*g.OW*g.C {
		panic("nn: MaxPoolGrad: slice too short")
	}
	// The module writes every input its windows cover; 'same' windows
	// cover all of them, so only otherwise must dx be zeroed first.
	if !g.covers() {
		clear(dx[:g.H*g.W*g.C])
	}
	k.call(k.maxPoolGradFn, []any{x, y, dy, dx, g.H, g.W, g.C, g.OH, g.OW, g.KH, g.PadT, g.PadL})
}

func (k *simdKernel) Upsample(x []float32, h, w, c, s int, y []float32) {
	if c%4 != 0 {
		upsample(x, h, w, c, s, y)
		return
	}
	if len(x) < h*w*c || len(y) < h*w*c*s*s {
		panic("nn: Upsample: slice too short")
	}
	k.call(k.upsampleFn, []any{x, h, w, c, s, y})
}

func (k *simdKernel) UpsampleGrad(dy []float32, h, w, c, s int, dx []float32) {
	if c%4 != 0 {
		upsampleGrad(dy, h, w, c, s, dx)
		return
	}
	if len(dx) < h*w*c || len(dy) < h*w*c*s*s {
		panic("nn: UpsampleGrad: slice too short")
	}
	k.call(k.upsampleGradFn, []any{dy, h, w, c, s, dx})
}

func (k *simdKernel) ColSums(dst, m []float32) {
	c := len(dst)
	rows := len(m) / c
	switch {
	case c == 1:
		r4 := rows - rows%4
		if r4 > 0 {
			k.call(k.colSumsFn, []any{m, r4, 1, dst})
		}
		addColumnSums(dst, m[r4:rows])
	case c%4 == 0:
		if rows > 0 {
			k.call(k.colSumsFn, []any{m, rows, c, dst})
		}
	default:
		addColumnSums(dst, m)
	}
}

func (k *simdKernel) Adam(w, g, m, v []float32, om1, om2, alpha, eps float32) {
	n := len(w) - len(w)%4
	if len(g) < len(w) || len(m) < len(w) || len(v) < len(w) {
		panic("nn: Adam: slice too short")
	}
	if n > 0 {
		a := k.args
		a[0], a[1], a[2], a[3], a[4] = addr(w), addr(g), addr(m), addr(v), int32(n)
		a[5], a[6], a[7], a[8] = int32(math.Float32bits(om1)), int32(math.Float32bits(om2)), int32(math.Float32bits(alpha)), int32(math.Float32bits(eps))
		k.adamFn.Invoke(k.argsPtr)
		runtime.KeepAlive(w)
		runtime.KeepAlive(g)
		runtime.KeepAlive(m)
		runtime.KeepAlive(v)
	}
	adamStep(w[n:], g[n:], m[n:], v[n:], om1, om2, alpha, eps)
}

func (k *simdKernel) Add(dst, src []float32) {
	n := len(src) - len(src)%4
	if len(dst) < len(src) {
		panic("nn: Add: slice too short")
	}
	if n > 0 {
		k.call(k.vaddFn, []any{dst, src, n})
	}
	add(dst[n:], src[n:])
}

func (k *simdKernel) Finite(x []float32) bool {
	n := len(x) - len(x)%4
	var s float64
	if n > 0 {
		k.args[0], k.args[1] = addr(x), int32(n)
		s = k.finiteFn.Invoke(k.argsPtr).Float()
		runtime.KeepAlive(x)
	}
	return s == 0 && finite(x[n:])
}

func (k *simdKernel) SigmoidBCE(z, bias, y, dz []float32, scale float32) float64 {
	c := len(bias)
	n := len(z)
	if c == 1 {
		n -= n % 4
	} else if c%4 != 0 || n%c != 0 {
		return sigmoidBCE(z, bias, y, dz, scale)
	}
	if len(y) < len(z) || len(dz) < len(z) {
		panic("nn: SigmoidBCE: slice too short")
	}
	var sum float64
	if n > 0 {
		a := k.args
		a[0], a[1], a[2], a[3] = addr(z), addr(bias), int32(n), int32(c)
		a[4], a[5], a[6] = addr(y), addr(dz), int32(math.Float32bits(scale))
		sum = k.sigmoidBCEFn.Invoke(k.argsPtr).Float()
		runtime.KeepAlive(z)
		runtime.KeepAlive(bias)
		runtime.KeepAlive(y)
		runtime.KeepAlive(dz)
	}
	if n < len(z) { // c == 1: the last few values
		sum += sigmoidBCE(z[n:], bias, y[n:], dz[n:], scale)
	}
	return sum
}

// SumTaps has module code for one output channel of a 3×3 window (the
// output layers'); other windows sum in Go.
func (k *simdKernel) SumTaps(z []float32, g Window, y []float32) {
	if g.C != 1 || g.KH != 3 || g.KW != 3 {
		sumTaps(z, g, y)
		return
	}
	if len(z) < g.H*g.W*9 || len(y) < g.OH*g.OW {
		panic("nn: SumTaps: slice too short")
	}
	a := k.args
	a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7] = addr(z), addr(y), int32(g.H), int32(g.W), int32(g.OH), int32(g.OW), int32(g.PadT), int32(g.PadL)
	k.sumTaps3Fn.Invoke(k.argsPtr)
	runtime.KeepAlive(z)
	runtime.KeepAlive(y)
}

func (k *simdKernel) SigmoidBCEGrad(p, y, dz []float32, scale float32) {
	n := len(p) - len(p)%4
	if len(dz) < len(p) || len(y) < len(p) {
		panic("nn: SigmoidBCEGrad: slice too short")
	}
	if n > 0 {
		a := k.args
		a[0], a[1], a[2], a[3], a[4] = addr(dz), addr(p), addr(y), int32(n), int32(math.Float32bits(scale))
		k.scaledDiffFn.Invoke(k.argsPtr)
		runtime.KeepAlive(dz)
		runtime.KeepAlive(p)
		runtime.KeepAlive(y)
	}
	BCE{}.sigmoidGrad(p[n:], y[n:], dz[n:], scale)
}

func (k *simdKernel) ToFloat(dst []float32, src []uint8) {
	n := len(src) - len(src)%16
	if len(dst) < len(src) {
		panic("nn: ToFloat: slice too short")
	}
	if n > 0 {
		a := k.args
		a[0], a[1], a[2] = int32(uintptr(unsafe.Pointer(&src[0]))), addr(dst), int32(n)
		k.toFloatFn.Invoke(k.argsPtr)
		runtime.KeepAlive(dst)
		runtime.KeepAlive(src)
	}
	toFloat(dst[n:len(src)], src[n:])
}

func addr(f []float32) int32 { return int32(uintptr(unsafe.Pointer(&f[0]))) }

// call runs a module function whose arguments are slices (passed as their
// addresses) and ints. The []any is the caller's and stays on its stack.
func (s *simdKernel) call(fn js.Value, args []any) {
	for i, a := range args {
		switch v := a.(type) {
		case []float32:
			s.args[i] = addr(v)
		case int:
			s.args[i] = int32(v)
		}
	}
	fn.Invoke(s.argsPtr)
	runtime.KeepAlive(args)
}

func (s *simdKernel) gemv(a []float32, lda int, x, c []float32, ldc, m, k int) {
	if m == 0 || k == 0 {
		return
	}
	s.args[0], s.args[1], s.args[2], s.args[3] = addr(a), int32(lda), addr(x), addr(c)
	s.args[4], s.args[5], s.args[6] = int32(ldc), int32(m), int32(k)
	s.gemvFn.Invoke(s.argsPtr)
	runtime.KeepAlive(a)
	runtime.KeepAlive(x)
	runtime.KeepAlive(c)
}

func (s *simdKernel) gevm(a, b []float32, ldb int, c []float32, n, k int) {
	if n == 0 || k == 0 {
		return
	}
	s.args[0], s.args[1], s.args[2], s.args[3] = addr(a), addr(b), int32(ldb), addr(c)
	s.args[4], s.args[5] = int32(n), int32(k)
	s.gevmFn.Invoke(s.argsPtr)
	runtime.KeepAlive(a)
	runtime.KeepAlive(b)
	runtime.KeepAlive(c)
}

// packB packs the full 8-column panels of an untransposed B block; the
// last, partial panel (if any) is packed in Go.
func (s *simdKernel) packB(dst []float32, trans bool, b []float32, ldb, pc, jc, kc, nc, nr int) bool {
	if nr != 8 {
		return false
	}
	if trans {
		return s.packBT(dst, b, ldb, pc, jc, kc, nc)
	}
	full := nc - nc%8
	if full > 0 {
		if len(b) < (pc+kc-1)*ldb+jc+full || len(dst) < full*kc {
			panic("nn: packB: slice too short")
		}
		s.args[0], s.args[1], s.args[2], s.args[3], s.args[4] = addr(b[pc*ldb+jc:]), int32(ldb), int32(kc), int32(full), addr(dst)
		s.packBFn.Invoke(s.argsPtr)
		runtime.KeepAlive(b)
		runtime.KeepAlive(dst)
	}
	if full < nc {
		packB(dst[full*kc:], false, b, ldb, pc, jc+full, kc, nc-full, nr)
	}
	return true
}

// packBT is packB of a transposed B: the module packs whole panels four
// rows at a time; the last rows (kc%4) and columns (nc%8) are done in Go.
func (s *simdKernel) packBT(dst []float32, b []float32, ldb, pc, jc, kc, nc int) bool {
	full, k4 := nc-nc%8, kc-kc%4
	if full > 0 && k4 > 0 {
		if len(b) < (jc+full-1)*ldb+pc+kc || len(dst) < full*kc {
			panic("nn: packBT: slice too short")
		}
		a := s.args
		a[0], a[1], a[2], a[3], a[4], a[5] = addr(b[jc*ldb+pc:]), int32(ldb), int32(k4), int32(full), addr(dst), int32(kc)
		s.packBTFn.Invoke(s.argsPtr)
		runtime.KeepAlive(b)
		runtime.KeepAlive(dst)
	}
	for j := 0; j < full; j++ {
		src := b[(jc+j)*ldb+pc : (jc+j)*ldb+pc+kc]
		panel := dst[j/8*8*kc:]
		for p := k4; p < kc; p++ {
			panel[p*8+j%8] = src[p]
		}
	}
	if full < nc {
		packB(dst[full*kc:], true, b, ldb, pc, jc+full, kc, nc-full, 8)
	}
	return true
}

// packAT packs a transposed A block (see packA) four rows of op(A) at a
// time; the last rows (mc%4) and the zero padding are done in Go.
func (s *simdKernel) packAT(dst []float32, a []float32, lda, ic, pc, mc, kc, mr int) bool {
	m4 := mc - mc%4
	rows := (mc + mr - 1) / mr * mr
	if len(a) < (pc+kc-1)*lda+ic+mc || len(dst) < rows*kc {
		panic("nn: packAT: slice too short")
	}
	if m4 > 0 {
		s.args[0], s.args[1], s.args[2], s.args[3], s.args[4] = addr(a[pc*lda+ic:]), int32(lda), int32(kc), int32(m4), addr(dst)
		s.packATFn.Invoke(s.argsPtr)
		runtime.KeepAlive(a)
		runtime.KeepAlive(dst)
	}
	clear(dst[mc*kc : rows*kc])
	for p := 0; p < kc && m4 < mc; p++ {
		src := a[(pc+p)*lda+ic+m4 : (pc+p)*lda+ic+mc]
		for i, v := range src {
			dst[(m4+i)*kc+p] = v
		}
	}
	return true
}

func (s *simdKernel) Patches(src []float32, g Window, col []float32) {
	h, w, c, oh, ow, kh, kw, stride, padT, padL := g.H, g.W, g.C, g.OH, g.OW, g.KH, g.KW, g.Stride, g.PadT, g.PadL
	if oh*ow == 0 {
		return
	}
	// The module trusts its arguments: check the extents here.
	if len(src) < h*w*c || len(col) < oh*ow*kh*kw*c {
		panic("nn: patches: slice too short")
	}
	a := s.args
	if c == 1 && kh == 3 && kw == 3 && stride == 1 {
		a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7] = addr(src), int32(h), int32(w), int32(oh), int32(ow), int32(padT), int32(padL), addr(col)
		s.patches1Fn.Invoke(s.argsPtr)
		runtime.KeepAlive(src)
		runtime.KeepAlive(col)
		return
	}
	a[0], a[1], a[2], a[3], a[4], a[5] = addr(src), int32(h), int32(w), int32(c), int32(oh), int32(ow)
	a[6], a[7], a[8], a[9], a[10], a[11] = int32(kh), int32(kw), int32(stride), int32(padT), int32(padL), addr(col)
	s.patchesFn.Invoke(s.argsPtr)
	runtime.KeepAlive(src)
	runtime.KeepAlive(col)
}

func (s *simdKernel) block(m, n, k int, a []float32, lda int, b, c []float32, ldc int, store bool) {
	s.args[0], s.args[1], s.args[2], s.args[3] = addr(a), int32(lda), addr(b), addr(c)
	s.args[4], s.args[5], s.args[6], s.args[7] = int32(ldc), int32(m), int32(n), int32(k)
	s.args[8] = 0
	if store {
		s.args[8] = 1
	}
	s.gemm.Invoke(s.argsPtr)
	runtime.KeepAlive(a)
	runtime.KeepAlive(b)
	runtime.KeepAlive(c)
}

func (s *simdKernel) BiasAct(a Activation, y, bias []float32) {
	c := len(bias)
	fn := s.reluBias
	switch {
	case a == Sigmoid:
		fn = s.sigmoidBias
	case a != ReLU:
		biasAct(a, y, bias)
		return
	}
	n := len(y)
	if c == 1 {
		n -= n % 4
	} else if c%4 != 0 || n%c != 0 {
		biasAct(a, y, bias)
		return
	}
	if n > 0 {
		s.args[0], s.args[1], s.args[2], s.args[3] = addr(y), addr(bias), int32(n), int32(c)
		fn.Invoke(s.argsPtr)
		runtime.KeepAlive(y)
		runtime.KeepAlive(bias)
	}
	if n < len(y) { // c == 1: the last few values
		biasAct(a, y[n:], bias)
	}
}

func (s *simdKernel) reluGrad(y, dy []float32) {
	n := len(dy) - len(dy)%4
	if n > 0 {
		s.args[0], s.args[1], s.args[2] = addr(y), addr(dy), int32(n)
		s.reluGradFn.Invoke(s.argsPtr)
		runtime.KeepAlive(y)
		runtime.KeepAlive(dy)
	}
	actGrad(ReLU, y[n:], dy[n:])
}

func (s *simdKernel) bceSum(p, y []float32) float64 {
	n := len(p) - len(p)%4
	var sum float64
	if n > 0 {
		s.args[0], s.args[1], s.args[2] = addr(p), addr(y), int32(n)
		sum = s.bceSumFn.Invoke(s.argsPtr).Float()
		runtime.KeepAlive(p)
		runtime.KeepAlive(y)
	}
	return sum + BCE{}.Sum(p[n:], y[n:])
}
