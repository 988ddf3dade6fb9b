package nn

// Kernel is the one seam through which all of the engine's arithmetic on
// whole tensors passes: every operation the layers, the losses, the Runner
// and Adam need. Each implementation is complete — the portable Go kernel
// (GoKernel), the AVX2 and AVX-512 kernels (GoKernel with assembly
// micro-kernels and element-wise loops) and the WebAssembly SIMD kernel —
// and an implementation that has no fast path for some arguments runs the
// portable code for them itself, so callers never ask which kernel they
// have.
//
// A Kernel is called from one goroutine at a time; give each Runner its
// own (NewKernel returns a new one on every call).
type Kernel interface {
	// Name says which implementation this is: "go", "avx2", "avx512",
	// "simd" or "simd-relaxed" (SIMD with fused multiply-add).
	Name() string
	// Tuning says which of the layers' equivalent algorithms is the
	// cheaper one on this kernel.
	Tuning() Tuning

	// Gemm is a single-precision GEMM on row-major matrices,
	//
	//	C = alpha * op(A) * op(B) + beta * C
	//
	// where op(A) is m×k (A itself, or the transpose of a k×m A when
	// transA is set), op(B) is k×n, and C is m×n; lda, ldb and ldc are
	// row strides. When beta is zero C is overwritten and its previous
	// contents (even NaNs) are ignored.
	Gemm(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int)

	// Axpy adds alpha·x into y (y at least as long as x).
	Axpy(alpha float32, x, y []float32)
	// Add adds src into dst (dst at least as long as src).
	Add(dst, src []float32)
	// Finite reports whether every value of x is finite.
	Finite(x []float32) bool
	// ToFloat converts pixels to floats in [0, 1] (x / 255, as the post
	// does) into dst[:len(src)].
	ToFloat(dst []float32, src []uint8)

	// BiasAct adds bias (one value per channel, the fastest-varying
	// dimension) to every row of y and applies the activation, in place.
	BiasAct(a Activation, y, bias []float32)
	// ActGrad turns dy, the gradient with respect to an activated output
	// y, into the gradient with respect to the pre-activation, in place.
	ActGrad(a Activation, y, dy []float32)
	// ColSums adds the column sums of the row-major m (len(dst) columns)
	// into dst: a bias gradient.
	ColSums(dst, m []float32)

	// Patches is im2col for one image: for each of the window's OH×OW
	// positions, the KH×KW×C values under it (zero outside the image) as
	// one row of col.
	Patches(src []float32, w Window, col []float32)
	// SumTaps writes each output pixel of a convolution from z, every
	// input pixel's contribution to each of the KH×KW taps (KH·KW·C values
	// a pixel, C the output channels): y[oy,ox,:] = Σ over the window's
	// taps inside the image of z[pixel under the tap][tap,:].
	SumTaps(z []float32, w Window, y []float32)
	// Conv is a direct convolution of one image by kernel (Keras' layout,
	// KH×KW×C×cout, cout = len(kernel)/(KH·KW·C)): dst[oy,ox,co] is the sum,
	// over the window's taps inside the image and the channels ci, of
	// src[pixel under the tap, ci]·kernel[ky,kx,ci,co].
	Conv(src []float32, w Window, kernel, dst []float32)
	// ConvFilterGrad adds into dw (cout = len(dw)/(KH·KW·C)) the gradient
	// of Conv with respect to its kernel, given dz, the gradient of its
	// output: dw[ky,kx,ci,co] += Σ over the positions whose tap (ky, kx) is
	// inside the image of src[pixel under the tap, ci]·dz[oy,ox,co].
	ConvFilterGrad(src []float32, w Window, dz, dw []float32)
	// MaxPool is max pooling of one image with a KH×KW window moved by
	// Stride; padded positions never win.
	MaxPool(x []float32, w Window, y []float32)
	// MaxPoolGrad overwrites dx with the gradient of MaxPool: each output's
	// gradient goes to the first input (in row-major window order) that
	// holds its maximum, as TensorFlow's MaxPoolGrad does.
	MaxPoolGrad(x, y, dy []float32, w Window, dx []float32)
	// Upsample repeats every pixel of one h×w×c image as an s×s block.
	Upsample(x []float32, h, w, c, s int, y []float32)
	// UpsampleGrad overwrites dx with Upsample's gradient: each block's sum.
	UpsampleGrad(dy []float32, h, w, c, s int, dx []float32)

	// WinogradIn, WinogradOut, WinogradGradOut and WinogradGradIn are the
	// transforms of Winograd's F(2×2, 3×3) (see winograd.go) over the
	// tiles t of one image (the positions of the transformed matrices at
	// v, m or q as t says):
	//
	//	WinogradIn:      v = Bᵀ d B for each tile's 4×4 input pixels d in src
	//	WinogradOut:     each tile's 2×2 output pixels in dst = Aᵀ m A
	//	WinogradGradOut: m = A dz Aᵀ for each tile's 2×2 output pixels dz
	//	WinogradGradIn:  B q Bᵀ added into each tile's 4×4 input pixels in dst
	WinogradIn(src []float32, t WinogradTiles, v []float32)
	WinogradOut(m []float32, t WinogradTiles, dst []float32)
	WinogradGradOut(dz []float32, t WinogradTiles, m []float32)
	WinogradGradIn(q []float32, t WinogradTiles, dst []float32)

	// BCESum is the binary cross-entropy of p against y, summed (see BCE).
	BCESum(p, y []float32) float64
	// SigmoidBCE is a sigmoid output layer and its loss in one pass (see
	// sigmoidBCE): z, pre-activations in rows of len(bias), becomes
	// p = sigmoid(z + bias), dz = scale·(p - y), and the summed binary
	// cross-entropy is returned.
	SigmoidBCE(z, bias, y, dz []float32, scale float32) float64
	// SigmoidBCEGrad is the gradient of BCE with respect to a sigmoid's
	// logits, dz = scale·(p - y).
	SigmoidBCEGrad(p, y, dz []float32, scale float32)

	// Adam takes one Adam step of w with gradient g and moments m and v
	// (see Adam): om1 and om2 are 1-beta1 and 1-beta2, alpha the step's
	// bias-corrected learning rate.
	Adam(w, g, m, v []float32, om1, om2, alpha, eps float32)
}

// Tuning chooses between algorithms that give the same values (to float
// rounding; tests run both on every kernel) and cost differently.
type Tuning struct {
	// TapSums: a stride-1 convolution with at most a quarter as many output
	// channels as input ones (an output layer) sums the taps of x·W'
	// rather than building the input's patches. It wins where copying is
	// dear (the browser) and loses where patches are plain copies.
	TapSums bool
	// Direct: a stride-1 convolution with a single input or output channel
	// (the first and last layers) runs image by image as a direct
	// convolution (Kernel.Conv and ConvFilterGrad), not as patches and a
	// GEMM one column wide or nine deep.
	Direct bool
	// Chunks: ForwardBackward takes a model with image-sized activations a
	// chunk of samples at a time, so that they stay in cache (see
	// chunkTarget), rather than each layer streaming the whole batch
	// through memory. Measured natively only: the browser's SIMD kernel
	// crosses into its module once a GEMM, and chunks make more of them.
	Chunks bool
	// WinogradFwd and WinogradBwd: a 3×3, stride-1 convolution whose input
	// and output channels both number at least this many runs by
	// Winograd's F(2×2, 3×3) (see winograd.go), forward, and back (both
	// gradients); 0 never. The choice depends only on the kernel and the
	// layer's geometry, so replicas that train together compute alike.
	WinogradFwd, WinogradBwd int
}

// Window is the geometry of a 2-D window slid over one NHWC image of
// H×W×C, giving OH×OW positions; PadT and PadL are the rows and columns of
// zeros before the image's first ('same' padding puts any odd one after).
type Window struct {
	H, W, C    int
	OH, OW     int
	KH, KW     int
	Stride     int
	PadT, PadL int
}

// NewKernel returns the fastest kernel this platform has: AVX-512 where
// the processor has AVX-512F, AVX2 with FMA where it has both, the WebAssembly SIMD kernel where the
// engine and the page's loader offer it, else the portable GoKernel; the
// build tag purego forces GoKernel. The choice depends only on the
// platform, never on chance; its Name says what was chosen.
func NewKernel() Kernel {
	if k := platformKernel(); k != nil {
		return k
	}
	return NewGoKernel()
}

// Kernels returns a constructor for every kernel this platform has,
// NewKernel's choice first and GoKernel last, for tests and benchmarks
// that compare them.
func Kernels() []func() Kernel {
	var ks []func() Kernel
	if platformKernel() != nil {
		ks = append(ks, platformKernel)
	}
	ks = append(ks, lesserKernels()...)
	return append(ks, func() Kernel { return NewGoKernel() })
}
