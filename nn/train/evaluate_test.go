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

// vae is a small variational autoencoder of 8×8 blobs, as spec.Build
// makes one: the KL term on its code, the loss per sample.
func vae(t *testing.T) *nn.Model {
	m, err := nn.NewModel("vae", nn.Shape{64}, 1, nn.Dense(16, nn.ReLU), nn.Sampling(2), nn.Dense(16, nn.ReLU), nn.Dense(64, nn.Sigmoid))
	if err != nil {
		t.Fatal(err)
	}
	m.Penalties = []nn.Penalty{{Layer: 1, KL: 1}}
	m.PerSample = true
	m.Init(3)
	return m
}

// TestVAELossParts: a variational autoencoder's val loss is its
// reconstruction term (64·BCE per blob, on the same draws) plus its KL
// term; the draws change the loss a little, not the KL.
func TestVAELossParts(t *testing.T) {
	m := vae(t)
	val := Dataset{Images: nntest.Blobs(300, 8, 2)}
	loss, _ := Evaluate(m, val, nil)
	recon, _ := EvaluateReconstruction(m, val, nil)
	kl, err := MeanKL(m, val)
	if err != nil {
		t.Fatal(err)
	}
	if kl <= 0 || math.Abs(loss-(recon+kl)) > 1e-4*loss {
		t.Errorf("val loss %.4f, reconstruction %.4f + KL %.4f = %.4f", loss, recon, kl, recon+kl)
	}
	if recon < 10 || recon > 64 {
		t.Errorf("reconstruction term %.2f: not 64·BCE per blob", recon)
	}
	mean, _ := EvaluateAtMean(m, val, nil)
	draws, _ := EvaluateDraws(m, val, nil, 3)
	if mean == loss || draws == loss {
		t.Errorf("the draws change nothing: %v %v %v", loss, mean, draws)
	}
	if mse, _ := EvaluatePerValue(m, val, nn.MSE{}); mse <= 0 || mse > 0.5 {
		t.Errorf("MSE per value %v", mse)
	}
}

// TestVAETrainsTheSameOnAnyWorkers: each sample's draw depends on the
// sample and the step only, so one worker and three train the same
// weights (up to the order of the gradients' sums), and the loss falls.
func TestVAETrainsTheSameOnAnyWorkers(t *testing.T) {
	train := Dataset{Images: nntest.Blobs(512, 8, 1)}
	val := Dataset{Images: nntest.Blobs(128, 8, 2)}
	var losses [][]EpochInfo
	var last struct{ recon, kl float64 }
	for _, w := range []int{1, 3} {
		tr, err := New(vae(t), train, val, Config{Epochs: 4, BatchSize: 32, LR: 0.005, Seed: 1, Workers: w})
		if err != nil {
			t.Fatal(err)
		}
		h, err := tr.Fit(context.Background(), nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		last.recon, _ = tr.Reconstruction(val)
		last.kl, _ = MeanKL(tr.Model, val)
		tr.Close()
		losses = append(losses, h)
	}
	one, three := losses[0], losses[1]
	if recon, kl := last.recon, last.kl; math.Abs(recon+kl-three[3].ValLoss) > 1e-4*three[3].ValLoss {
		t.Errorf("the last val loss %.5f is not its reconstruction %.5f + KL %.5f", three[3].ValLoss, recon, kl)
	}
	if !(one[3].ValLoss < one[0].ValLoss) {
		t.Errorf("val loss %v → %v: it does not learn", one[0].ValLoss, one[3].ValLoss)
	}
	for e := range one {
		if d := math.Abs(one[e].ValLoss - three[e].ValLoss); d > 1e-3*one[e].ValLoss {
			t.Errorf("epoch %d: val loss %.5f on one worker, %.5f on three", e+1, one[e].ValLoss, three[e].ValLoss)
		}
	}
}
