package nn

// Kernel is the one seam through which the engine's heavy arithmetic passes:
// a single-precision GEMM on row-major matrices,
//
//	C = alpha * op(A) * op(B) + beta * C
//
// where op(A) is m×k (A itself, or the transpose of a k×m A when transA is
// set), op(B) is k×n, and C is m×n; lda, ldb and ldc are row strides. When
// beta is zero C is overwritten and its previous contents (even NaNs) are
// ignored.
//
// A Kernel is called from one goroutine at a time per Runner; implementations
// must not keep state that is shared across Runners unless it is safe for
// concurrent use.
type Kernel interface {
	Gemm(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int)
}
