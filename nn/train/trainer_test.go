package train

import (
	"aeplay/nn"
	"aeplay/nn/internal/nntest"
	"context"
	"errors"
	"math"
	"testing"
)

func tinyConv(t testing.TB) *nn.Model {
	m, err := nn.NewModel("tiny", nn.Shape{8, 8, 1}, 2,
		nn.Conv2D(4, 3, 1, nn.Same, nn.ReLU), nn.MaxPool2D(2, nn.Same), nn.Conv2D(2, 3, 2, nn.Same, nn.ReLU),
		nn.UpSampling2D(2), nn.Conv2D(4, 3, 1, nn.Same, nn.ReLU), nn.UpSampling2D(2), nn.Conv2D(1, 3, 1, nn.Same, nn.Sigmoid))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func trainTiny(t *testing.T, workers int, noise float32) (*nn.Model, []EpochInfo) {
	m := tinyConv(t)
	m.Init(42)
	train := Dataset{Images: nntest.Blobs(200, 8, 1), Noise: noise, NoiseSeed: 5}
	val := Dataset{Images: nntest.Blobs(50, 8, 2), Noise: noise, NoiseSeed: 6}
	tr, err := New(m, train, val, Config{Epochs: 4, BatchSize: 32, LR: 0.01, Seed: 3, Workers: workers})
	if err != nil {
		t.Fatal(err)
	}
	hist, err := tr.Fit(context.Background(), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	return m, hist
}

func TestFitLearnsAndIsDeterministic(t *testing.T) {
	for _, noise := range []float32{0, 0.5} {
		m1, h1 := trainTiny(t, 2, noise)
		if len(h1) != 4 {
			t.Fatalf("%d epochs logged, want 4", len(h1))
		}
		if !(h1[3].ValLoss < h1[0].ValLoss && h1[3].Loss < h1[0].Loss) {
			t.Errorf("noise %v: loss did not fall: %+v", noise, h1)
		}
		m2, h2 := trainTiny(t, 2, noise)
		for i, p := range m1.Params() {
			if !nntest.Equal(p.Value, m2.Params()[i].Value) {
				t.Fatalf("noise %v: same seed, same data, different %s", noise, p.Name)
			}
		}
		if h1[3].ValLoss != h2[3].ValLoss {
			t.Errorf("val loss %v vs %v", h1[3].ValLoss, h2[3].ValLoss)
		}
	}
}

// TestWorkersAgree: sharding a batch over workers changes only the order of
// float additions, so the losses match a single worker's closely.
func TestWorkersAgree(t *testing.T) {
	_, h1 := trainTiny(t, 1, 0)
	_, h3 := trainTiny(t, 3, 0)
	for i := range h1 {
		if d := math.Abs(h1[i].ValLoss - h3[i].ValLoss); d > 1e-4*h1[i].ValLoss {
			t.Errorf("epoch %d: val loss %v with 1 worker, %v with 3", i+1, h1[i].ValLoss, h3[i].ValLoss)
		}
	}
}

func TestDivergenceStopsAndKeepsWeights(t *testing.T) {
	m := tinyConv(t)
	m.Init(1)
	m.Params()[0].Value[0] = float32(math.Inf(1))
	before := append([]float32(nil), m.Params()[2].Value...)
	tr, err := New(m, Dataset{Images: nntest.Blobs(64, 8, 1)}, Dataset{}, Config{Epochs: 1, BatchSize: 32})
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = tr.Step()
	if !errors.Is(err, ErrDiverged) {
		t.Fatalf("err = %v, want ErrDiverged", err)
	}
	if !nntest.Equal(before, m.Params()[2].Value) {
		t.Error("a diverged step changed the weights")
	}
}

func TestFitStops(t *testing.T) {
	m := tinyConv(t)
	m.Init(1)
	tr, _ := New(m, Dataset{Images: nntest.Blobs(320, 8, 1)}, Dataset{}, Config{Epochs: 3, BatchSize: 32})
	batches := 0
	_, err := tr.Fit(context.Background(), func(b BatchInfo) bool { batches++; return b.Batch < 4 }, nil)
	if err != nil || batches != 4 {
		t.Errorf("callback stop: %d batches, err %v", batches, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := tr.Fit(ctx, nil, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: err = %v", err)
	}
	// Resuming carries on where it stopped: 10 batches an epoch, 4 done.
	bi, _, _ := tr.Step()
	if bi.Batch != 5 || bi.Batches != 10 {
		t.Errorf("resumed at batch %d/%d, want 5/10", bi.Batch, bi.Batches)
	}
}

func TestTrainerRejectsBadInput(t *testing.T) {
	m := tinyConv(t)
	good := Dataset{Images: nntest.Blobs(10, 8, 1)}
	cases := map[string]struct {
		train Dataset
		cfg   Config
	}{
		"wrong image size": {Dataset{Images: nntest.Blobs(10, 6, 1)}, Config{Epochs: 1, BatchSize: 4}},
		"empty":            {Dataset{}, Config{Epochs: 1, BatchSize: 4}},
		"zero epochs":      {good, Config{BatchSize: 4}},
		"negative lr":      {good, Config{Epochs: 1, BatchSize: 4, LR: -1}},
		"negative noise":   {Dataset{Images: nntest.Blobs(10, 8, 1), Noise: -1}, Config{Epochs: 1, BatchSize: 4}},
	}
	for name, c := range cases {
		if _, err := New(m, c.train, Dataset{}, c.cfg); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestTrainStepDoesNotAllocate(t *testing.T) {
	m := tinyConv(t)
	m.Init(1)
	tr, _ := New(m, Dataset{Images: nntest.Blobs(1000, 8, 1), Noise: 0.3}, Dataset{}, Config{Epochs: 100, BatchSize: 64, Workers: 2})
	tr.Step()
	if a := testing.AllocsPerRun(5, func() { tr.Step() }); a != 0 {
		t.Errorf("%v allocations per training step after the first", a)
	}
}

func TestNoiseIsFixedPerImage(t *testing.T) {
	px := nntest.Blobs(1, 28, 1).Pixels
	a, b, c := make([]float32, 784), make([]float32, 784), make([]float32, 784)
	nn.AddNoise(a, px, 0.5, 9, 17)
	nn.AddNoise(b, px, 0.5, 9, 17)
	nn.AddNoise(c, px, 0.5, 9, 18)
	if !nntest.Equal(a, b) || nntest.Equal(a, c) {
		t.Fatal("noise must depend on (seed, index) alone")
	}
	// Check it is N(0, σ) before clipping: use a mid-grey image so that
	// clipping rarely bites.
	grey := make([]uint8, 20000)
	for i := range grey {
		grey[i] = 128
	}
	x := make([]float32, len(grey))
	nn.AddNoise(x, grey, 0.1, 1, 0)
	var s, s2 float64
	for _, v := range x {
		if v < 0 || v > 1 {
			t.Fatal("noisy pixel outside [0, 1]")
		}
		d := float64(v) - 128.0/255
		s += d
		s2 += d * d
	}
	mean, sd := s/float64(len(x)), math.Sqrt(s2/float64(len(x)))
	if math.Abs(mean) > 0.005 || math.Abs(sd-0.1) > 0.005 {
		t.Errorf("noise mean %.4f sd %.4f, want 0 and 0.1", mean, sd)
	}
}
