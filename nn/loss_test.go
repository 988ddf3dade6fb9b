package nn

import (
	"math"
	"math/rand/v2"
	"testing"
)

// bceCase is a layer's pre-activations (to ±30, into the saturated ends
// where Keras clips) and targets that are 0, 1 or in between, as MNIST's.
func bceCase(rng *rand.Rand, n, c int) (z, bias, y []float32) {
	z, bias, y = randSlice(rng, n), randSlice(rng, c), make([]float32, n)
	for i := range z {
		z[i] *= 30
		switch i % 3 {
		case 0:
			y[i] = float32(rng.IntN(2))
		case 1:
			y[i] = float32(rng.Float64())
		}
	}
	return z, bias, y
}

// exactBCE is Keras' clipped loss of sigmoid(z + bias) in float64.
func exactBCE(z, bias, y []float32) float64 {
	var s float64
	for i, v := range z {
		x := float64(v + bias[i%len(bias)])
		p := min(max(1/(1+math.Exp(-x)), 1e-7), float64(float32(1-1e-7)))
		s -= float64(y[i])*math.Log(p) + (1-float64(y[i]))*math.Log(1-p)
	}
	return s
}

// TestSigmoidBCEMatchesUnfused checks the one-pass output layer against the
// sigmoid and the fused gradient taken one at a time, and its loss against
// Keras' clipped loss computed in float64. (The loss of the float32 p,
// BCE.Sum, is further off where p nears 1: 1-p keeps few digits there.)
func TestSigmoidBCEMatchesUnfused(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for _, c := range []int{1, 784} {
		z, bias, y := bceCase(rng, 3*784+3, c)
		if c > 1 {
			z = z[:3*784]
		}
		p := append([]float32(nil), z...)
		biasAct(Sigmoid, p, bias)
		want := exactBCE(z, bias, y)
		wantDz := make([]float32, len(p))
		BCE{}.sigmoidGrad(p, y, wantDz, 0.25)

		dz := make([]float32, len(z))
		got := sigmoidBCE(z, bias, y, dz, 0.25)
		if math.Abs(got-want) > 1e-6*want {
			t.Errorf("c=%d: loss sum %v, exact %v", c, got, want)
		}
		for i := range z {
			if d := math.Abs(float64(z[i] - p[i])); d > 2e-7 {
				t.Fatalf("c=%d: p[%d] = %v, unfused %v", c, i, z[i], p[i])
			}
			if d := math.Abs(float64(dz[i] - wantDz[i])); d > 1e-7 {
				t.Fatalf("c=%d: dz[%d] = %v, unfused %v", c, i, dz[i], wantDz[i])
			}
		}
	}
	// Where Keras clips, the loss is the clipped one: p = 0 against 1 is
	// -log(1e-7), p = 1 against 0 is -log(2^-23).
	z, dz := []float32{-40, 40}, make([]float32, 2)
	if got, want := sigmoidBCE(z, []float32{0}, []float32{1, 0}, dz, 1), -math.Log(1e-7)+23*math.Ln2; math.Abs(got-want) > 1e-5 {
		t.Errorf("clipped loss %v, want %v", got, want)
	}
	nan := []float32{float32(math.NaN())}
	if got := sigmoidBCE(nan, []float32{0}, []float32{1}, dz, 1); !math.IsNaN(got) {
		t.Errorf("a NaN logit gives loss %v, want NaN (so divergence is seen)", got)
	}
}

// TestLog1pSmall checks the series against math.Log1p over its range.
func TestLog1pSmall(t *testing.T) {
	for e := float32(0); e <= 1; e += 1.0 / 4096 {
		want := math.Log1p(float64(e))
		if d := math.Abs(float64(log1pSmall(e)) - want); d > 1.5e-7*math.Max(want, 1e-30) {
			t.Fatalf("log1pSmall(%v) = %v, want %v", e, log1pSmall(e), want)
		}
	}
}
