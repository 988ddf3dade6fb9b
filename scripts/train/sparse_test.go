package main

import (
	"fmt"
	"path/filepath"
	"testing"

	"aeplay/nn"
	"aeplay/nn/catalog"
	"aeplay/nn/train"
	"aeplay/nn/weights"
	"aeplay/scripts/internal/mnistdata"
)

// The sparse model's reference, PyTorch with Keras semantics (seed 42,
// 100 epochs): val loss with the penalty, as Keras reports it.
const sparseReference = 0.0958

// TestSparsePretrained: the committed sparse weights, measured again on
// the 10,000 test digits: the val loss (with the penalty) within 1 % of the
// reference, and a code at most half as large on average as the simple
// model's (the post: the sparse code is about twice as sparse).
func TestSparsePretrained(t *testing.T) {
	set, err := mnistdata.Load("")
	if err != nil {
		t.Fatal(err)
	}
	test := train.Dataset{Images: set.Test}
	load := func(name string) *nn.Model {
		m, _ := catalog.New(name)
		if _, err := weights.ReadFile(filepath.Join("..", "..", "web", "models", name+".safetensors"), m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	sparse, simple := load("sparse"), load("simple")
	val, err := train.Evaluate(sparse, test, nil)
	if err != nil {
		t.Fatal(err)
	}
	bce, _ := train.EvaluateReconstruction(sparse, test, nil)
	mean, _ := train.MeanCode(sparse, test)
	plain, _ := train.MeanCode(simple, test)
	fmt.Printf("sparse: val loss %.4f (reference %.4f, %+.1f %%), val BCE %.4f, mean code %.3f; simple's mean code %.3f\n",
		val, sparseReference, 100*(val/sparseReference-1), bce, mean, plain)
	if val > 1.01*sparseReference || val < 0.99*sparseReference {
		t.Errorf("val loss %.4f: not within 1 %% of %.4f", val, sparseReference)
	}
	if mean > plain/2 {
		t.Errorf("mean code %.3f against the simple model's %.3f: not twice as sparse", mean, plain)
	}
}
