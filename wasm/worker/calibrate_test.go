package worker

import (
	"slices"
	"testing"

	"aeplay/wasm/protocol"
)

// TestMeasureStepsLeavesTheModel: measuring a count trains a throwaway
// copy: the model on show, its weights and its grid are as they were, and
// the speed is a positive number of samples a second.
func TestMeasureStepsLeavesTheModel(t *testing.T) {
	e := NewEngine(site(t))
	if _, err := e.Init("simple"); err != nil {
		t.Fatal(err)
	}
	before, err := e.Grid(protocol.GridRequest{Indices: []int{0, 1}})
	if err != nil {
		t.Fatal(err)
	}
	w0 := slices.Clone(e.model.Params()[0].Value)
	cfg := protocol.TrainConfig{Model: "simple", Epochs: 1, Batch: 32, LR: 0.01, Samples: 600, ValSamples: 300, Seed: 1, Workers: 1}
	sps, err := e.MeasureSteps(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !(sps > 0) {
		t.Errorf("measured %v samples/s", sps)
	}
	after, _ := e.Grid(protocol.GridRequest{Indices: []int{0, 1}})
	if !slices.Equal(w0, e.model.Params()[0].Value) || !slices.Equal(before.Recon, after.Recon) || e.Training() {
		t.Error("measuring changed the model on show or started a run")
	}
	// A run after a measurement starts as any other: it trains and reports.
	if _, err := e.StartTraining(cfg, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := (&Engine{}).MeasureSteps(cfg, nil); err == nil {
		t.Error("an engine without a model measured something")
	}
}
