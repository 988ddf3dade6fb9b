package tsne

import "testing"

// BenchmarkTSNE10k is the latent map's run natively: 10,000 codes of 32
// values in 10 clusters, the neighbours and all 500 iterations (make
// bench times the real one in the worker, TestTSNE).
func BenchmarkTSNE10k(b *testing.B) {
	x, _ := clusters(10000, 32, 10, 1)
	for range b.N {
		r, err := New(x, 10000, 32, Config{Seed: 1})
		if err != nil {
			b.Fatal(err)
		}
		r.Step(r.Iterations())
	}
}
