package nn

import (
	"math"
	"testing"
)

// TestKLByHand: one sample with μ = (1, 0) and log σ² = (0, ln 2):
// KL = −½((1 + 0 − 1 − 1) + (1 + ln 2 − 0 − 2)) = 1 − ½ ln 2.
func TestKLByHand(t *testing.T) {
	m, err := NewModel("kl", Shape{1}, 0, Sampling(2), Dense(1, Linear))
	if err != nil {
		t.Fatal(err)
	}
	s := m.Layers[0].(*SamplingLayer)
	s.meanK.Value[0], s.meanK.Value[1] = 1, 0
	s.lvK.Value[0], s.lvK.Value[1] = 0, float32(math.Ln2)
	m.Penalties = []Penalty{{Layer: 0, KL: 1}}
	m.PerSample = true
	r := m.NewRunner(1, NewGoKernel())
	r.Input()[0] = 1
	z := r.Forward(1)
	if got, want := r.KL(1), 1-math.Ln2/2; math.Abs(got-want) > 1e-6 {
		t.Errorf("KL = %.7f, want 1 − ½ ln 2 = %.7f", got, want)
	}
	if got := m.Layers[0].(*SamplingLayer); got == nil || r.Activation(0, 1)[0] != 1 || r.Activation(0, 1)[1] != 0 {
		t.Errorf("without a draw z is μ = (1, 0), got %v", r.Activation(0, 1))
	}
	// The loss per sample has the KL term once, not times the output size.
	target := []float32{z[0]}
	if got, want := r.Loss(MSE{}, target, 1), 1-math.Ln2/2; math.Abs(got-want) > 1e-6 {
		t.Errorf("Loss with a perfect reconstruction = %.7f, want the KL %.7f", got, want)
	}
}

// TestSamplingDraws: z = μ + σε with ε from the sample's own stream, the
// same whichever batch position or Runner draws it, and its statistics
// those of N(μ, σ²).
func TestSamplingDraws(t *testing.T) {
	m, err := NewModel("s", Shape{1}, 0, Sampling(2), Dense(1, Linear))
	if err != nil {
		t.Fatal(err)
	}
	s := m.Layers[0].(*SamplingLayer)
	s.meanB.Value[0], s.meanB.Value[1] = 3, -1
	s.lvB.Value[0], s.lvB.Value[1] = float32(math.Log(4)), 0 // σ = 2 and 1
	const n = 4000
	r := m.NewRunner(n, NewGoKernel())
	streams := make([]uint64, n)
	for j := range streams {
		streams[j] = uint64(j)
	}
	r.Sample(7, streams)
	r.Forward(n)
	z := append([]float32(nil), r.Activation(0, n)...)
	for d, want := range [][2]float64{{3, 2}, {-1, 1}} {
		var sum, sq float64
		for j := 0; j < n; j++ {
			v := float64(z[2*j+d])
			sum += v
			sq += v * v
		}
		mean := sum / n
		sd := math.Sqrt(sq/n - mean*mean)
		if math.Abs(mean-want[0]) > 0.1 || math.Abs(sd-want[1]) > 0.1 {
			t.Errorf("z[%d]: mean %.3f, sd %.3f; want %v, %v", d, mean, sd, want[0], want[1])
		}
	}
	// Sample 9 alone, in another Runner, draws what it drew at position 9.
	r2 := m.NewRunner(1, NewGoKernel())
	r2.Sample(7, []uint64{9})
	r2.Forward(1)
	if got := r2.Activation(0, 1); got[0] != z[18] || got[1] != z[19] {
		t.Errorf("sample 9 alone drew %v, in the batch %v", got, z[18:20])
	}
	r2.Sample(0, nil)
	r2.Forward(1)
	if got := r2.Activation(0, 1); got[0] != 3 || got[1] != -1 {
		t.Errorf("without draws z = μ = (3, −1), got %v", got)
	}
}

// TestSamplingNames: the heads are numbered with the Dense layers, as
// Keras numbers the post's z_mean and z_log_var.
func TestSamplingNames(t *testing.T) {
	m, err := NewModel("vae", Shape{784}, 1, Dense(64, ReLU), Sampling(2), Dense(64, ReLU), Dense(784, Sigmoid))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range m.Params() {
		names = append(names, p.Name)
	}
	want := []string{"dense_1/kernel", "dense_1/bias", "dense_2/kernel", "dense_2/bias", "dense_3/kernel", "dense_3/bias",
		"dense_4/kernel", "dense_4/bias", "dense_5/kernel", "dense_5/bias"}
	if len(names) != len(want) {
		t.Fatalf("params %v, want %v", names, want)
	}
	for i := range want {
		if names[i] != want[i] {
			t.Fatalf("params %v, want %v", names, want)
		}
	}
	if m.Layers[1].Name() != "sampling_1" {
		t.Errorf("the sampling layer is %s", m.Layers[1].Name())
	}
	c := m.Clone()
	if c.Params()[2].Name != "dense_2/kernel" || c.Layers[2].Name() != "dense_4" {
		t.Errorf("a clone renames: %s, %s", c.Params()[2].Name, c.Layers[2].Name())
	}
}
