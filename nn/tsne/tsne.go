package tsne

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"aeplay/nn"
	"aeplay/nn/pca"
)

// Config is a run's settings; zero fields take openTSNE's and bhtsne's
// defaults, perplexity 30, θ 0.5, the first 250 iterations exaggerating
// the affinities 12 times, and the learning rate n/12 (Belkina et al.,
// 2019), with which 500 iterations in all (openTSNE runs 750) converge
// for the map's 10,000 codes: a third less of the reader's wait.
type Config struct {
	Perplexity        float64
	Theta             float64
	Iterations        int
	Exaggeration      float64
	ExaggerationIters int
	LearningRate      float64
	Seed              uint64
	// Kernel multiplies the neighbour search's distances; nil is
	// nn.NewKernel.
	Kernel nn.Kernel
}

func (c Config) withDefaults(n int) Config {
	if c.Perplexity == 0 {
		c.Perplexity = 30
	}
	if c.Theta == 0 {
		c.Theta = 0.5
	}
	if c.Iterations == 0 {
		c.Iterations = 500
	}
	if c.Exaggeration == 0 {
		c.Exaggeration = 12
	}
	if c.ExaggerationIters == 0 {
		c.ExaggerationIters = min(250, c.Iterations/3)
	}
	if c.LearningRate == 0 {
		c.LearningRate = max(float64(n)/12, 50)
	}
	if c.Kernel == nil {
		c.Kernel = nn.NewKernel()
	}
	return c
}

// MaxPoints bounds a run: the neighbour search is n² distances.
const MaxPoints = 70000

// pcaDims is how many principal components of a wider input the
// neighbours are found in (as scikit-learn advises and the original
// t-SNE code did): nearly all of a code's variance, at a fraction of the
// distances' cost.
const pcaDims = 50

// TSNE is a run: the input affinities, fixed, and the embedding, which
// each Step moves.
type TSNE struct {
	cfg    Config
	n      int
	p      affinities
	y      []float64 // 2 per point
	update []float64
	gains  []float64
	grad   []float64
	tree   quadtree
	stack  []int32
	iter   int
}

// New prepares t-SNE of n points of dim values (x row by row): their
// neighbours, the affinities, and a seeded random start.
func New(x []float32, n, dim int, cfg Config) (*TSNE, error) {
	if n < 4 || dim < 1 || len(x) < n*dim {
		return nil, errors.New("tsne: needs at least 4 points")
	}
	if n > MaxPoints {
		return nil, fmt.Errorf("tsne: %d points, more than the %d a run takes", n, MaxPoints)
	}
	cfg = cfg.withDefaults(n)
	if !(cfg.Perplexity >= 1) || 3*cfg.Perplexity >= float64(n) {
		return nil, fmt.Errorf("tsne: a perplexity of %v needs more than %v points", cfg.Perplexity, 3*cfg.Perplexity)
	}
	for _, v := range x[:n*dim] {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			return nil, errors.New("tsne: the points are not all finite numbers")
		}
	}
	if dim > pcaDims {
		p, err := pca.Fit(x, n, dim, pcaDims)
		if err != nil {
			return nil, err
		}
		low := make([]float32, n*pcaDims)
		p.Project(x, n, low)
		x, dim = low, pcaDims
	}
	k := min(n-1, int(3*cfg.Perplexity))
	nb := knn(x, n, dim, k, cfg.Kernel)
	t := &TSNE{cfg: cfg, n: n, p: symmetric(nb, n, conditional(nb, n, cfg.Perplexity)),
		y: make([]float64, 2*n), update: make([]float64, 2*n), gains: make([]float64, 2*n), grad: make([]float64, 2*n)}
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x74736e65)) // "tsne"
	for i := range t.y {
		t.y[i] = 1e-4 * rng.NormFloat64()
		t.gains[i] = 1
	}
	return t, nil
}

// Iter is how many iterations have run; Iterations how many a run takes.
func (t *TSNE) Iter() int       { return t.iter }
func (t *TSNE) Iterations() int { return t.cfg.Iterations }

// Done reports whether every iteration has run.
func (t *TSNE) Done() bool { return t.iter >= t.cfg.Iterations }

// Points writes the embedding, 2 values a point, into dst.
func (t *TSNE) Points(dst []float32) {
	for i, v := range t.y {
		dst[i] = float32(v)
	}
}

// Step runs up to k more iterations.
func (t *TSNE) Step(k int) {
	for ; k > 0 && !t.Done(); k-- {
		t.step()
	}
}

func (t *TSNE) step() {
	exag, momentum := 1.0, 0.8
	if t.iter < t.cfg.ExaggerationIters {
		exag, momentum = t.cfg.Exaggeration, 0.5
	}
	t.gradient(exag)
	lr := t.cfg.LearningRate
	for i, g := range t.grad {
		if (g > 0) != (t.update[i] > 0) {
			t.gains[i] += 0.2
		} else {
			t.gains[i] = max(t.gains[i]*0.8, 0.01)
		}
		t.update[i] = momentum*t.update[i] - lr*t.gains[i]*g
		t.y[i] += t.update[i]
	}
	// Keep the embedding centred: the gradient does not see its mean.
	var mx, my float64
	for i := 0; i < t.n; i++ {
		mx += t.y[2*i]
		my += t.y[2*i+1]
	}
	mx, my = mx/float64(t.n), my/float64(t.n)
	for i := 0; i < t.n; i++ {
		t.y[2*i] -= mx
		t.y[2*i+1] -= my
	}
	t.iter++
}

// gradient is ∂KL/∂y: 4 (exag·Σ_j p_ij q_ij (y_i − y_j) − Σ_j q_ij² (y_i −
// y_j) / Z), q_ij = 1/(1 + |y_i − y_j|²), the second sum by the tree.
func (t *TSNE) gradient(exag float64) {
	t.tree.build(t.y, t.n)
	var z float64
	for _, i := range t.tree.order {
		fx, fy, zi, stack := t.tree.repulse(int(i), t.y, t.cfg.Theta, t.stack)
		t.stack = stack
		t.grad[2*i], t.grad[2*i+1] = -fx, -fy // the repulsion, to be divided by Z
		z += zi
	}
	for i := 0; i < t.n; i++ {
		t.grad[2*i] /= z
		t.grad[2*i+1] /= z
		yx, yy := t.y[2*i], t.y[2*i+1]
		var ax, ay float64
		for e := t.p.rows[i]; e < t.p.rows[i+1]; e++ {
			j := t.p.cols[e]
			dx, dy := yx-t.y[2*j], yy-t.y[2*j+1]
			w := t.p.vals[e] / (1 + dx*dx + dy*dy)
			ax += w * dx
			ay += w * dy
		}
		t.grad[2*i] = 4 * (exag*ax + t.grad[2*i])
		t.grad[2*i+1] = 4 * (exag*ay + t.grad[2*i+1])
	}
}
