package train

import (
	"context"
	"math"
	"testing"

	"aeplay/nn"
	"aeplay/nn/internal/nntest"
)

// TestPenaltyIsPartOfTheLoss: with an L1 penalty on the code, Keras'
// loss and val_loss include the penalty, here too: val_loss is the
// reconstruction's loss plus the rate times the mean code's sum, and
// training with the penalty leaves a sparser code than without.
func TestPenaltyIsPartOfTheLoss(t *testing.T) {
	build := func(rate float32) *nn.Model {
		m, err := nn.NewModel("s", nn.Shape{64}, 0, nn.Dense(16, nn.ReLU), nn.Dense(64, nn.Sigmoid))
		if err != nil {
			t.Fatal(err)
		}
		if rate > 0 {
			m.Penalties = []nn.Penalty{{Layer: 0, L1: rate}}
		}
		m.Init(3)
		return m
	}
	train := Dataset{Images: nntest.Blobs(256, 8, 1)}
	val := Dataset{Images: nntest.Blobs(64, 8, 2)}
	fit := func(m *nn.Model) []EpochInfo {
		tr, err := New(m, train, val, Config{Epochs: 6, BatchSize: 32, LR: 0.01, Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		h, err := tr.Fit(context.Background(), nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		return h
	}
	const rate = 0.01
	sparse, plain := build(rate), build(0)
	h := fit(sparse)
	fit(plain)
	total, err := Evaluate(sparse, val, nil)
	if err != nil {
		t.Fatal(err)
	}
	recon, _ := EvaluateReconstruction(sparse, val, nil)
	mean, err := MeanCode(sparse, val)
	if err != nil {
		t.Fatal(err)
	}
	// The penalty per image is rate·Σ|code| = rate·16·mean (a ReLU code is
	// never negative), added to the mean loss per output as Keras adds it.
	if want := recon + rate*16*mean; math.Abs(total-want) > 1e-6*math.Max(1, total) {
		t.Errorf("val_loss %.7f, want the reconstruction's %.7f plus the penalty: %.7f", total, recon, want)
	}
	if math.Abs(h[len(h)-1].ValLoss-total) > 1e-6 {
		t.Errorf("the trainer's val_loss %.7f, Evaluate's %.7f", h[len(h)-1].ValLoss, total)
	}
	plainMean, _ := MeanCode(plain, val)
	if !(mean < plainMean/2) {
		t.Errorf("mean code %.4f with the penalty, %.4f without: not twice sparser", mean, plainMean)
	}
}
