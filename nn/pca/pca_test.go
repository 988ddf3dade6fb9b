package pca

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"
)

// TestPCAMatchesGonum: the Jacobi PCA finds gonum's components (up to
// sign, which is fixed differently) and variances.
func TestPCAMatchesGonum(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 3))
	const n, d, k = 500, 12, 4
	x := make([]float32, n*d)
	for i := 0; i < n; i++ {
		a, b := rng.NormFloat64(), rng.NormFloat64()
		for j := 0; j < d; j++ { // mostly two directions, plus noise
			x[i*d+j] = float32(a*float64(j) + b*math.Sin(float64(j)) + 0.1*rng.NormFloat64() + 3)
		}
	}
	p, err := Fit(x, n, d, k)
	if err != nil {
		t.Fatal(err)
	}
	data := make([]float64, len(x))
	for i, v := range x {
		data[i] = float64(v)
	}
	var pc stat.PC
	if !pc.PrincipalComponents(mat.NewDense(n, d, data), nil) {
		t.Fatal("gonum PCA failed")
	}
	var vecs mat.Dense
	pc.VectorsTo(&vecs)
	vars := pc.VarsTo(nil)
	for c := 0; c < k; c++ {
		if math.Abs(p.Variances[c]-vars[c]) > 1e-6*vars[0] {
			t.Errorf("variance %d: %v, gonum %v", c, p.Variances[c], vars[c])
		}
		var dot float64
		for j := 0; j < d; j++ {
			dot += p.Components[c][j] * vecs.At(j, c)
		}
		if math.Abs(math.Abs(dot)-1) > 1e-6 {
			t.Errorf("component %d: |cos| %v with gonum's", c, math.Abs(dot))
		}
	}
	// Projecting and reconstructing with all components is the identity.
	full, _ := Fit(x, n, d, d)
	coords := make([]float32, n*d)
	back := make([]float32, n*d)
	full.Project(x, n, coords)
	full.Reconstruct(coords, n, back)
	for i := range x {
		if math.Abs(float64(back[i]-x[i])) > 1e-3 {
			t.Fatalf("round trip %d: %v -> %v", i, x[i], back[i])
		}
	}
}
