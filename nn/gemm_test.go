package nn

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// naiveGemm is the definition, in float64, for checking kernels.
func naiveGemm(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			var s float64
			for p := 0; p < k; p++ {
				av := a[i*lda+p]
				if transA {
					av = a[p*lda+i]
				}
				bv := b[p*ldb+j]
				if transB {
					bv = b[j*ldb+p]
				}
				s += float64(av) * float64(bv)
			}
			old := float64(c[i*ldc+j])
			if beta == 0 {
				old = 0
			}
			c[i*ldc+j] = float32(float64(alpha)*s + float64(beta)*old)
		}
	}
}

func randSlice(rng *rand.Rand, n int) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = float32(rng.Float64()*2 - 1)
	}
	return s
}

// kernelsUnderTest lists every Kernel the package offers on this platform.
func kernelsUnderTest() map[string]func() Kernel {
	ks := map[string]func() Kernel{"go": func() Kernel { return NewGoKernel() }}
	for name, f := range platformKernels() {
		ks[name] = f
	}
	return ks
}

func TestGemmMatchesDefinition(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	sizes := [][3]int{{1, 1, 1}, {3, 5, 7}, {4, 4, 4}, {6, 16, 9}, {13, 8, 300}, {97, 33, 257}, {200, 1, 144}, {1, 784, 32}, {130, 520, 20}}
	for name, newK := range kernelsUnderTest() {
		for _, s := range sizes {
			for _, tr := range [][2]bool{{false, false}, {true, false}, {false, true}, {true, true}} {
				m, n, k := s[0], s[1], s[2]
				t.Run(fmt.Sprintf("%s/%dx%dx%d/tA=%v,tB=%v", name, m, n, k, tr[0], tr[1]), func(t *testing.T) {
					lda, ldb, ldc := k+1, n+2, n+3
					if tr[0] {
						lda = m + 1
					}
					if tr[1] {
						ldb = k + 2
					}
					a := randSlice(rng, max(m, k)*lda)
					b := randSlice(rng, max(n, k)*ldb)
					c := randSlice(rng, m*ldc)
					want := append([]float32(nil), c...)
					alpha, beta := float32(0.7), float32(-0.3)
					naiveGemm(tr[0], tr[1], m, n, k, alpha, a, lda, b, ldb, beta, want, ldc)
					newK().Gemm(tr[0], tr[1], m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
					for i := range c {
						if d := math.Abs(float64(c[i] - want[i])); d > 1e-4*float64(k)+1e-5 || math.IsNaN(float64(c[i])) {
							t.Fatalf("c[%d] = %v, want %v", i, c[i], want[i])
						}
					}
				})
			}
		}
	}
}

func TestGemmBetaZeroIgnoresNaN(t *testing.T) {
	for name, newK := range kernelsUnderTest() {
		c := []float32{float32(math.NaN()), float32(math.Inf(1))}
		newK().Gemm(false, false, 1, 2, 1, 1, []float32{2}, 1, []float32{3, 4}, 2, 0, c, 2)
		if c[0] != 6 || c[1] != 8 {
			t.Errorf("%s: got %v, want [6 8]", name, c)
		}
	}
}
