package nn

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// The gradient check: for a layer y = L(x; θ) and random weights r, the
// objective f = Σ r⊙y has ∂f/∂y = r, so Backward(dy=r) must give ∂f/∂x and
// ∂f/∂θ. Both are compared with central differences of f computed in
// float64. Coordinates where a ReLU or a max switches inside the
// difference (a kink: the set of zero outputs changes, or the two one-sided
// differences disagree) cannot be checked this way and are skipped, but
// never so many that the check says little.

const (
	fdEps  = 1e-3
	fdAtol = 3e-3
	fdRtol = 1e-2
)

type gradCase struct {
	name  string
	in    Shape
	layer func() Layer
}

var gradCases = []gradCase{
	{"dense/linear", Shape{7}, func() Layer { return Dense(5, Linear) }},
	{"dense/relu", Shape{7}, func() Layer { return Dense(5, ReLU) }},
	{"dense/sigmoid", Shape{7}, func() Layer { return Dense(5, Sigmoid) }},
	{"conv/same", Shape{5, 6, 2}, func() Layer { return Conv2D(3, 3, 1, Same, Linear) }},
	{"conv/same/relu", Shape{4, 5, 2}, func() Layer { return Conv2D(4, 3, 1, Same, ReLU) }},
	{"conv/valid", Shape{6, 5, 2}, func() Layer { return Conv2D(2, 3, 1, Valid, Linear) }},
	{"conv/same/odd", Shape{5, 7, 3}, func() Layer { return Conv2D(2, 3, 1, Same, ReLU) }},
	{"conv/valid/odd", Shape{7, 6, 3}, func() Layer { return Conv2D(3, 3, 1, Valid, Linear) }},
	{"conv/stride2/same/odd", Shape{7, 7, 2}, func() Layer { return Conv2D(3, 3, 2, Same, Linear) }},
	{"conv/stride2/valid", Shape{7, 6, 1}, func() Layer { return Conv2D(2, 3, 2, Valid, Linear) }},
	{"conv/5x5/sigmoid", Shape{6, 6, 1}, func() Layer { return Conv2D(2, 5, 1, Same, Sigmoid) }},
	{"conv/narrow/same", Shape{5, 5, 4}, func() Layer { return Conv2D(1, 3, 1, Same, Sigmoid) }},
	{"conv/narrow/valid", Shape{6, 5, 8}, func() Layer { return Conv2D(2, 3, 1, Valid, Linear) }},
	{"conv/one-in/same", Shape{5, 6, 1}, func() Layer { return Conv2D(8, 3, 1, Same, ReLU) }},
	{"conv/one-out/valid", Shape{6, 7, 8}, func() Layer { return Conv2D(1, 3, 1, Valid, Sigmoid) }},
	{"maxpool/same/odd", Shape{7, 5, 2}, func() Layer { return MaxPool2D(2, Same) }},
	{"maxpool/valid", Shape{6, 6, 2}, func() Layer { return MaxPool2D(2, Valid) }},
	{"maxpool/3", Shape{7, 7, 1}, func() Layer { return MaxPool2D(3, Same) }},
	{"upsampling/2", Shape{3, 4, 2}, func() Layer { return UpSampling2D(2) }},
	{"upsampling/3", Shape{2, 2, 3}, func() Layer { return UpSampling2D(3) }},
	{"flatten", Shape{3, 2, 2}, func() Layer { return Flatten() }},
	{"reshape", Shape{12}, func() Layer { return Reshape(2, 3, 2) }},
}

func TestGradients(t *testing.T) {
	for _, tc := range gradCases {
		for kname, newK := range kernelsUnderTest() {
			for _, wino := range []bool{false, true} { // Winograd forced off, on
				t.Run(fmt.Sprintf("%s/%s/winograd=%v", tc.name, kname, wino), func(t *testing.T) {
					rng := rand.New(rand.NewPCG(7, 11))
					m, err := NewModel("g", tc.in, -1, tc.layer())
					if err != nil {
						t.Fatal(err)
					}
					l := m.Layers[0]
					for _, p := range m.Params() {
						copy(p.Value, randSlice(rng, p.Size()))
					}
					const n = 3
					ws := &Workspace{Kernel: withWinograd(newK(), wino)}
					x := randSlice(rng, n*tc.in.Size())
					outN := n * l.OutputShape().Size()
					r := randSlice(rng, outN)
					y := make([]float32, outN)
					f := func() (float64, uint64) {
						l.Forward(ws, x, y, n)
						var s float64
						h := uint64(14695981039346656037) // FNV-1a over the zero pattern
						for i, v := range y {
							s += float64(r[i]) * float64(v)
							if v == 0 {
								h = (h ^ uint64(i)) * 1099511628211
							}
						}
						return s, h
					}
					f()
					dy := append([]float32(nil), r...)
					dx := make([]float32, len(x))
					grads := make([][]float32, len(m.Params()))
					for i, p := range m.Params() {
						grads[i] = make([]float32, p.Size())
					}
					l.Backward(ws, x, y, dy, dx, grads, n)
					checkFD(t, "x", x, dx, f)
					for i, p := range m.Params() {
						checkFD(t, p.Name, p.Value, grads[i], f)
					}
				})
			}
		}
	}
}

// checkFD compares analytic gradients with central differences of f over
// every coordinate of v. f returns the objective and a hash of the output's
// zero pattern (ReLU's kinks).
func checkFD(t *testing.T, what string, v, analytic []float32, f func() (float64, uint64)) {
	t.Helper()
	skipped := 0
	for i := range v {
		old := v[i]
		f0, h0 := f()
		v[i] = old + fdEps
		fp, hp := f()
		v[i] = old - fdEps
		fm, hm := f()
		v[i] = old
		num := (fp - fm) / (2 * fdEps)
		right, left := (fp-f0)/fdEps, (f0-fm)/fdEps
		if hp != h0 || hm != h0 || math.Abs(right-left) > 0.05*math.Max(1, math.Abs(num)) && math.Abs(right-left) > 10*fdAtol {
			skipped++ // a kink inside [old-eps, old+eps]
			continue
		}
		if d := math.Abs(num - float64(analytic[i])); d > fdAtol+fdRtol*math.Abs(num) {
			t.Errorf("%s[%d]: analytic %.6f, finite difference %.6f", what, i, analytic[i], num)
		}
	}
	if skipped*4 > len(v) {
		t.Errorf("%s: %d of %d coordinates sit on a kink; the check says too little", what, skipped, len(v))
	}
}

func TestLossGradients(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, loss := range []Loss{BCE{}, MSE{}} {
		t.Run(loss.Name(), func(t *testing.T) {
			p := make([]float32, 50)
			y := make([]float32, 50)
			for i := range p {
				p[i] = float32(0.1 + 0.8*rng.Float64())
				y[i] = float32(rng.Float64())
			}
			y[0], y[1] = 0, 1 // the one-log fast paths
			const scale = 0.5
			dp := make([]float32, len(p))
			loss.Grad(p, y, dp, scale)
			checkFD(t, "p", p, dp, func() (float64, uint64) { return scale * loss.Sum(p, y), 0 })
		})
	}
}

// TestRunnerGradients checks whole models through a Runner, including the
// fused sigmoid + binary cross-entropy gradient, against finite differences
// of the mean loss.
func TestRunnerGradients(t *testing.T) {
	models := map[string]func() (*Model, error){
		"dense-sigmoid-bce": func() (*Model, error) {
			return NewModel("m", Shape{6}, 0, Dense(4, Linear), Dense(6, Sigmoid))
		},
		"conv-sigmoid-bce": func() (*Model, error) {
			return NewModel("m", Shape{6, 6, 1}, 1, Conv2D(2, 3, 1, Same, Linear), MaxPool2D(2, Same), UpSampling2D(2), Conv2D(1, 3, 1, Same, Sigmoid))
		},
		// The activity penalties: large rates, so that a wrong factor shows.
		"dense-l1-code": func() (*Model, error) {
			m, err := NewModel("m", Shape{6}, 0, Dense(4, Linear), Dense(6, Sigmoid))
			if m != nil {
				m.Penalties = []Penalty{{Layer: 0, L1: 0.05}}
			}
			return m, err
		},
		"conv-l1-l2": func() (*Model, error) {
			m, err := NewModel("m", Shape{6, 6, 1}, 1, Conv2D(2, 3, 1, Same, Linear), MaxPool2D(2, Same), UpSampling2D(2), Conv2D(1, 3, 1, Same, Sigmoid))
			if m != nil {
				m.Penalties = []Penalty{{Layer: 0, L2: 0.03}, {Layer: 1, L1: 0.02, L2: 0.01}}
			}
			return m, err
		},
		// The sampling layer with ε held fixed (the same draw in every
		// Forward), alone and with its KL term, the loss per sample as the
		// variational autoencoder has it.
		"sampling": func() (*Model, error) {
			return NewModel("m", Shape{6}, 1, Dense(5, Linear), Sampling(3), Dense(6, Sigmoid))
		},
		"sampling-kl-per-sample": func() (*Model, error) {
			m, err := NewModel("m", Shape{6}, 1, Dense(5, Linear), Sampling(3), Dense(6, Sigmoid))
			if m != nil {
				m.Penalties = []Penalty{{Layer: 1, KL: 1}}
				m.PerSample = true
			}
			return m, err
		},
		"sampling-kl-l1": func() (*Model, error) {
			m, err := NewModel("m", Shape{6}, 1, Dense(5, Linear), Sampling(2), Dense(6, Sigmoid))
			if m != nil {
				m.Penalties = []Penalty{{Layer: 1, KL: 0.5, L1: 0.05}}
			}
			return m, err
		},
	}
	for name, build := range models {
		for _, loss := range []Loss{BCE{}, MSE{}} {
			t.Run(fmt.Sprintf("%s/%s", name, loss.Name()), func(t *testing.T) {
				m, err := build()
				if err != nil {
					t.Fatal(err)
				}
				m.Init(5)
				const n = 4
				r := m.NewRunner(n, NewGoKernel())
				r.Sample(3, []uint64{10, 11, 12, 13})
				rng := rand.New(rand.NewPCG(9, 9))
				x := r.Input()[:n*m.Input.Size()]
				for i := range x {
					x[i] = float32(rng.Float64())
				}
				target := make([]float32, n*m.Output().Size())
				for i := range target {
					target[i] = float32(rng.Float64())
				}
				scale := float32(1) / float32(n*m.LossSize())
				f := func() (float64, uint64) {
					r.Forward(n)
					return float64(scale) * r.Loss(loss, target, n), 0
				}
				f()
				r.Backward(loss, target, n, scale)
				for i, p := range m.Params() {
					g := append([]float32(nil), r.Grads()[i]...)
					checkFD(t, p.Name, p.Value, g, f)
				}
				// The fused pass gives the same loss and gradients.
				want := append([]float32(nil), r.FlatGrads()...)
				sum := r.ForwardBackward(loss, target, n, scale)
				if d := math.Abs(float64(scale)*sum - func() float64 { v, _ := f(); return v }()); d > 1e-6 {
					t.Errorf("ForwardBackward's loss differs from Forward+Loss by %g", d)
				}
				for j, g := range r.FlatGrads() {
					if d := math.Abs(float64(g - want[j])); d > 1e-6 {
						t.Fatalf("ForwardBackward's gradient %d is %g, Backward's %g", j, g, want[j])
					}
				}
			})
		}
	}
}
