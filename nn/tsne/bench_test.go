package tsne

import "testing"

// BenchmarkTSNE10k is the latent map's run: 10,000 codes of 32 values in
// 10 clusters, neighbours and all 750 iterations. make bench times it in
// the worker.
// iterations is a run's length here (750 by default; fewer to profile).
var iterations = 100

func BenchmarkTSNE10k(b *testing.B) {
	x, _ := clusters(10000, 32, 10, 1)
	for range b.N {
		r, err := New(x, 10000, 32, Config{Seed: 1, Iterations: iterations})
		if err != nil {
			b.Fatal(err)
		}
		r.Step(r.Iterations())
	}
}
