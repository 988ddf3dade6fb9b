package nn_test

import (
	"aeplay/nn"
	"aeplay/nn/catalog"
	"math"
	"math/rand/v2"
	"testing"
)

// TestForwardBackwardMatchesSteps checks that the Runner's one-pass step
// gives the loss and gradients of Forward, Loss and Backward, with every
// kernel, for a dense and a convolutional output layer, the latter's batch
// in chunks where the kernel takes them. (A loss it does not fuse runs
// Forward, Loss and Backward themselves.)
func TestForwardBackwardMatchesSteps(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	loss := nn.BCE{}
	for kname, newK := range nn.KernelsUnderTest() {
		for _, name := range []string{"simple", "conv"} {
			m, err := catalog.New(name)
			if err != nil {
				t.Fatal(err)
			}
			m.Init(3)
			n := 5
			if name == "conv" {
				n = 20 // chunks of 8, 8 and 4
			}
			x := make([]float32, n*784)
			for i := range x {
				x[i] = float32(rng.Float64())
			}
			scale := float32(1) / float32(n*784)
			r1, r2 := m.NewRunner(n, newK()), m.NewRunner(n, newK())
			if c := r2.Chunk(); (c < n) != (name == "conv" && r2.Kernel().Tuning().Chunks) {
				t.Fatalf("%s: chunks of %d samples of a batch of %d", name, c, n)
			}
			copy(r1.Input(), x)
			copy(r2.Input(), x)
			// Twice, the weights changed in between: nothing of the first
			// step's weights may stay (the transformed kernels the chunks
			// share).
			for step := range 2 {
				if step > 0 {
					for _, p := range m.Params() {
						for i := range p.Value {
							p.Value[i] = p.Value[i]*0.5 + 0.01
						}
					}
				}
				r1.Forward(n)
				want := r1.Loss(loss, x, n)
				r1.Backward(loss, x, n, scale)
				got := r2.ForwardBackward(loss, x, n, scale)
				if math.Abs(got-want) > 1e-6*want {
					t.Errorf("%s %s step %d: loss %v, stepwise %v", kname, name, step, got, want)
				}
				g1, g2 := r1.FlatGrads(), r2.FlatGrads()
				for i := range g1 {
					if d := math.Abs(float64(g1[i] - g2[i])); d > 1e-6+1e-4*math.Abs(float64(g1[i])) {
						t.Fatalf("%s %s step %d: gradient %d = %v, stepwise %v", kname, name, step, i, g2[i], g1[i])
					}
				}
			}
		}
	}
}
