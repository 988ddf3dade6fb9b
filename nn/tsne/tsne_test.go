package tsne

import (
	"math"
	"math/rand/v2"
	"testing"

	"aeplay/nn"
)

// clusters are n points of dim values around c centres 10 apart, with
// their cluster as a label.
func clusters(n, dim, c int, seed uint64) ([]float32, []uint8) {
	rng := rand.New(rand.NewPCG(seed, 1))
	centres := make([]float64, c*dim)
	for i := range centres {
		centres[i] = 10 * rng.NormFloat64()
	}
	x, labels := make([]float32, n*dim), make([]uint8, n)
	for i := 0; i < n; i++ {
		labels[i] = uint8(i % c)
		for d := 0; d < dim; d++ {
			x[i*dim+d] = float32(centres[int(labels[i])*dim+d] + rng.NormFloat64())
		}
	}
	return x, labels
}

func TestKNNMatchesBruteForce(t *testing.T) {
	x, _ := clusters(300, 7, 3, 1)
	nb := knn(x, 300, 7, 10, nn.NewGoKernel())
	for _, i := range []int{0, 17, 299} {
		var d []float64
		for j := 0; j < 300; j++ {
			if j != i {
				var s float64
				for k := 0; k < 7; k++ {
					v := float64(x[i*7+k] - x[j*7+k])
					s += v * v
				}
				d = append(d, s)
			}
		}
		// the 10th smallest
		for a := 0; a < 10; a++ {
			m := a
			for b := a + 1; b < len(d); b++ {
				if d[b] < d[m] {
					m = b
				}
			}
			d[a], d[m] = d[m], d[a]
		}
		for a := 0; a < 10; a++ {
			if got := float64(nb.dist[i*10+a]); math.Abs(got-d[a]) > 1e-3*(1+d[a]) {
				t.Errorf("point %d, neighbour %d: distance %v, want %v", i, a, got, d[a])
			}
		}
	}
}

// TestAffinities: each point's Gaussian has the perplexity asked for, and
// P is symmetric and sums to 1.
func TestAffinities(t *testing.T) {
	x, _ := clusters(400, 5, 4, 2)
	const perp = 20
	nb := knn(x, 400, 5, 60, nn.NewGoKernel())
	pc := conditional(nb, 400, perp)
	for i := 0; i < 400; i++ {
		var h, sum float64
		for _, p := range pc[i*60 : (i+1)*60] {
			sum += p
			if p > 0 {
				h -= p * math.Log(p)
			}
		}
		if math.Abs(sum-1) > 1e-9 || math.Abs(math.Exp(h)-perp) > 1e-3*perp {
			t.Fatalf("point %d: sum %v, perplexity %v", i, sum, math.Exp(h))
		}
	}
	a := symmetric(nb, 400, pc)
	at := map[[2]int32]float64{}
	var total float64
	for i := 0; i < 400; i++ {
		for e := a.rows[i]; e < a.rows[i+1]; e++ {
			at[[2]int32{int32(i), a.cols[e]}] = a.vals[e]
			total += a.vals[e]
		}
	}
	if math.Abs(total-1) > 1e-9 {
		t.Errorf("P sums to %v", total)
	}
	for ij, v := range at {
		if w := at[[2]int32{ij[1], ij[0]}]; math.Abs(v-w) > 1e-15 {
			t.Fatalf("P[%v] = %v, its transpose %v", ij, v, w)
		}
	}
}

// kl is the exact cost KL(P‖Q) of the embedding y.
func kl(t *TSNE, y []float64) float64 {
	n := t.n
	var z float64
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			if i != j {
				dx, dy := y[2*i]-y[2*j], y[2*i+1]-y[2*j+1]
				z += 1 / (1 + dx*dx + dy*dy)
			}
		}
	}
	var c float64
	for i := 0; i < n; i++ {
		for e := t.p.rows[i]; e < t.p.rows[i+1]; e++ {
			j := t.p.cols[e]
			dx, dy := y[2*i]-y[2*j], y[2*i+1]-y[2*j+1]
			q := 1 / (1 + dx*dx + dy*dy) / z
			c += t.p.vals[e] * math.Log(t.p.vals[e]/q)
		}
	}
	return c
}

// TestGradient: with θ = 0 the tree visits every point, and the gradient
// is the exact cost's, checked by central differences; with θ = 0.5 it
// stays close.
func TestGradient(t *testing.T) {
	x, _ := clusters(60, 4, 3, 3)
	r, err := New(x, 60, 4, Config{Perplexity: 10, Theta: 1e-9, Seed: 1, Kernel: nn.NewGoKernel()})
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(4, 4))
	for i := range r.y {
		r.y[i] = rng.NormFloat64()
	}
	r.gradient(1)
	exact := append([]float64(nil), r.grad...)
	const h = 1e-5
	for _, i := range []int{0, 1, 33, 119} {
		old := r.y[i]
		r.y[i] = old + h
		up := kl(r, r.y)
		r.y[i] = old - h
		down := kl(r, r.y)
		r.y[i] = old
		if num := (up - down) / (2 * h); math.Abs(num-exact[i]) > 1e-6+1e-4*math.Abs(num) {
			t.Errorf("∂KL/∂y[%d]: %v, finite difference %v", i, exact[i], num)
		}
	}
	r.cfg.Theta = 0.5
	r.gradient(1)
	var diff, norm float64
	for i, g := range r.grad {
		diff += (g - exact[i]) * (g - exact[i])
		norm += exact[i] * exact[i]
	}
	if rel := math.Sqrt(diff / norm); rel > 0.05 {
		t.Errorf("Barnes-Hut at θ 0.5 is %.1f %% from the exact gradient", 100*rel)
	}
}

// TestRunSeparatesClusters: five clusters in 20 dimensions land apart in
// the plane (every neighbourhood one cluster's), the cost falls, and the
// same seed gives the same points.
func TestRunSeparatesClusters(t *testing.T) {
	const n, dim = 500, 20
	x, labels := clusters(n, dim, 5, 5)
	run := func() ([]float32, *TSNE) {
		r, err := New(x, n, dim, Config{Seed: 7, Iterations: 300})
		if err != nil {
			t.Fatal(err)
		}
		start := kl(r, r.y)
		for !r.Done() {
			r.Step(50)
		}
		if end := kl(r, r.y); !(end < start/2) {
			t.Errorf("the cost went from %.3f to %.3f", start, end)
		}
		pts := make([]float32, 2*n)
		r.Points(pts)
		return pts, r
	}
	a, r := run()
	if r.Iter() != 300 {
		t.Errorf("%d iterations", r.Iter())
	}
	if g := Agreement(a, n, 2, labels, 10); g < 0.99 {
		t.Errorf("10-NN label agreement in the plane %.3f", g)
	}
	b, _ := run()
	for i := range a {
		if a[i] != b[i] {
			t.Fatal("the same seed gave other points")
		}
	}
}

func TestRefusals(t *testing.T) {
	x, _ := clusters(50, 3, 2, 1)
	if _, err := New(x, 50, 3, Config{}); err == nil {
		t.Error("perplexity 30 on 50 points was accepted")
	}
	x[7] = float32(math.NaN())
	if _, err := New(x, 50, 3, Config{Perplexity: 5}); err == nil {
		t.Error("a NaN was accepted")
	}
}

// TestWideInputGoesThroughPCA: a 128-value code is reduced to 50
// components before the neighbour search, and still separates.
func TestWideInputGoesThroughPCA(t *testing.T) {
	const n, dim = 400, 128
	x, labels := clusters(n, dim, 4, 9)
	r, err := New(x, n, dim, Config{Seed: 1, Iterations: 250})
	if err != nil {
		t.Fatal(err)
	}
	r.Step(250)
	pts := make([]float32, 2*n)
	r.Points(pts)
	if g := Agreement(pts, n, 2, labels, 10); g < 0.99 {
		t.Errorf("agreement %.3f", g)
	}
}
