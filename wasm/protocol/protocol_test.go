package protocol

import (
	"aeplay/nn/spec"
	"math"
	"reflect"
	"strings"
	"testing"
)

// roundTrip stands in for postMessage: it keeps only the value types a
// structured clone carries (numbers become float64).
func roundTrip(f Fields) Object {
	out := Fields{}
	for k, v := range f {
		out[k] = f.Get(k)
		if ints, ok := v.([]int); ok {
			fl := make([]float64, len(ints))
			for i, x := range ints {
				fl[i] = float64(x)
			}
			out[k] = fl
		}
	}
	return out
}

// TestLayersRoundTrip: the layers' shapes travel flattened and come back;
// a message whose values do not fill its shapes is refused.
func TestLayersRoundTrip(t *testing.T) {
	l := Layers{Index: 2, Input: make([]float32, 784), Names: []string{"conv2d_1", "flatten_1"}, Specs: []string{"conv2d(2,3,relu,same)", "flatten"},
		Shapes: [][]int{{2, 2, 2}, {8}}, Values: make([]float32, 16), Code: 1}
	got, err := DecodeLayers(roundTrip(l.Fields()))
	if err != nil || !reflect.DeepEqual(got, l) {
		t.Fatalf("%+v, %v", got, err)
	}
	l.Values = l.Values[:15]
	if _, err := DecodeLayers(roundTrip(l.Fields())); err == nil {
		t.Error("15 values for 16 accepted")
	}
}

func TestRoundTrips(t *testing.T) {
	cfg := TrainConfig{Model: "conv", Epochs: 3, Batch: 256, LR: 0.001, Samples: 6000, ValSamples: 2000, Noise: 0.5, NoiseKind: spec.MaskNoise, Seed: 7, Workers: 2}
	got, err := DecodeTrainConfig(roundTrip(cfg.Fields()))
	if err != nil || got != cfg {
		t.Errorf("train config: %+v, %v", got, err)
	}
	g := Grid{Side: 2, N: 2, Indices: []int{3, 9}, Labels: []uint8{1, 2}, Originals: make([]float32, 8), Recon: make([]float32, 8),
		Codes: make([]float32, 6), CodeSize: 3, Noise: 0.5, NoiseKind: spec.MaskNoise}
	gg, err := DecodeGrid(roundTrip(g.Fields()))
	if err != nil || !reflect.DeepEqual(gg, g) {
		t.Errorf("grid: %+v, %v", gg, err)
	}
	rd := Ready{Model: "simple", Summary: "table", Params: 50992, Code: 32,
		Layers:  []LayerRow{{"dense_1", "Dense", "(None, 32)", 25120}, {"dense_2", "Dense", "(None, 784)", 25872}},
		Weights: map[string]string{"epochs": "50", "val_loss": "0.0915"}, TestDigits: 500}
	rr, err := DecodeReady(roundTrip(rd.Fields()))
	if err != nil || !reflect.DeepEqual(rr, rd) {
		t.Errorf("ready: %+v, %v", rr, err)
	}
	p := Progress{Epoch: 1, Epochs: 2, Batch: 3, Batches: 4, Loss: 0.5, BatchLoss: 0.4, SamplesPerSec: 1000, Elapsed: 1.5, Paused: true}
	if pp, err := DecodeProgress(roundTrip(p.Fields())); err != nil || pp != p {
		t.Errorf("progress: %+v, %v", pp, err)
	}
	e := Epoch{Epoch: 1, Epochs: 2, Loss: 0.3, ValLoss: math.NaN(), Seconds: 2, SamplesPerSec: 9}
	if ee, err := DecodeEpoch(roundTrip(e.Fields())); err != nil || !math.IsNaN(ee.ValLoss) || ee.Loss != 0.3 {
		t.Errorf("epoch: %+v, %v", ee, err)
	}
	// The baseline before training has a val loss but no training loss.
	base := Epoch{Epoch: 0, Epochs: 2, Loss: math.NaN(), ValLoss: 0.69}
	if ee, err := DecodeEpoch(roundTrip(base.Fields())); err != nil || !math.IsNaN(ee.Loss) || ee.ValLoss != 0.69 {
		t.Errorf("baseline epoch: %+v, %v", ee, err)
	}
	if d, err := DecodeDone(roundTrip(Done{Epochs: 2, ValLoss: 0.1, Stopped: true}.Fields())); err != nil || !d.Stopped || d.ValLoss != 0.1 {
		t.Errorf("done: %+v, %v", d, err)
	}
	if m, err := DecodeError(roundTrip(Error{Message: "boom", Fatal: true}.Fields())); err != nil || m.Message != "boom" || !m.Fatal {
		t.Errorf("error: %+v, %v", m, err)
	}
	if r, err := DecodeGridRequest(roundTrip(GridRequest{Indices: []int{1, 2}, Noise: 0.5, NoiseKind: spec.MaskNoise, NoiseSeed: 3}.Fields())); err != nil || r.Indices[1] != 2 || r.NoiseSeed != 3 || r.NoiseKind != spec.MaskNoise {
		t.Errorf("grid request: %+v, %v", r, err)
	}
	for _, bad := range []Fields{
		{"type": TGrid, "indices": []float64{1}, "noise": 1.5, "noiseKind": spec.MaskNoise},
		{"type": TGrid, "indices": []float64{1}, "noise": 0.5, "noiseKind": "salt"},
	} {
		if _, err := DecodeGridRequest(roundTrip(bad)); err == nil {
			t.Errorf("grid request %v accepted", bad)
		}
	}
	if err := (TrainConfig{Model: "denoise", Epochs: 1, Batch: 1, LR: 0.001, Samples: 1, Noise: 1.5, NoiseKind: spec.MaskNoise}).Validate(); err == nil || !strings.Contains(err.Error(), "masking probability") {
		t.Errorf("masking p 1.5: %v", err)
	}
	if Type(roundTrip(Init{BaseURL: "/", Model: "deep"}.Fields())) != TInit {
		t.Error("type")
	}
}

func TestBadMessagesAreErrors(t *testing.T) {
	cases := map[string]Fields{
		"string epochs":  {"type": TTrain, "epochs": "many", "batch": 256, "lr": 0.001, "samples": 10},
		"fractional":     {"type": TTrain, "epochs": 1.5, "batch": 256, "lr": 0.001, "samples": 10},
		"nan lr":         {"type": TTrain, "epochs": 1, "batch": 256, "lr": math.NaN(), "samples": 10},
		"zero batch":     {"type": TTrain, "epochs": 1, "batch": 0, "lr": 0.001, "samples": 10},
		"too many":       {"type": TTrain, "epochs": 1, "batch": 1, "lr": 0.001, "samples": 70000},
		"negative noise": {"type": TTrain, "epochs": 1, "batch": 1, "lr": 0.001, "samples": 7, "noise": -1},
	}
	for name, f := range cases {
		if _, err := DecodeTrainConfig(roundTrip(f)); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	_, err := DecodeGrid(roundTrip(Grid{Side: 28, N: 2, Originals: make([]float32, 5), Recon: make([]float32, 5)}.Fields()))
	if err == nil || !strings.Contains(err.Error(), "do not match") {
		t.Errorf("short grid arrays: %v", err)
	}
	if _, err := DecodeGridRequest(roundTrip(Fields{"indices": []float64{-1}})); err == nil {
		t.Error("negative index accepted")
	}
}
