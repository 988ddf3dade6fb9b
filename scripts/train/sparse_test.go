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

// The variational autoencoder's reference, PyTorch with Keras semantics
// (seed 42, 100 epochs, batch 32): val loss 784·BCE + KL with z drawn, and
// its KL term.
const vaeReference, vaeReferenceKL = 151.86, 6.18

// TestVAEPretrained: the committed variational autoencoder, measured
// again on the 10,000 test digits: the val loss averaged over 5 draws of
// z within 2 % of the reference, its two terms adding up to it.
func TestVAEPretrained(t *testing.T) {
	set, err := mnistdata.Load("")
	if err != nil {
		t.Fatal(err)
	}
	test := train.Dataset{Images: set.Test}
	m, _ := catalog.New("vae")
	if _, err := weights.ReadFile(filepath.Join("..", "..", "web", "models", "vae.safetensors"), m); err != nil {
		t.Fatal(err)
	}
	val, err := train.EvaluateDraws(m, test, nil, 5)
	if err != nil {
		t.Fatal(err)
	}
	one, _ := train.Evaluate(m, test, nil)
	recon, _ := train.EvaluateReconstruction(m, test, nil)
	kl, _ := train.MeanKL(m, test)
	fmt.Printf("vae: val loss %.2f over 5 draws (reference %.2f, %+.1f %%); one draw %.2f = reconstruction %.2f + KL %.2f (reference KL %.2f)\n",
		val, vaeReference, 100*(val/vaeReference-1), one, recon, kl, vaeReferenceKL)
	if val > 1.02*vaeReference || val < 0.98*vaeReference {
		t.Errorf("val loss %.2f: not within 2 %% of %.2f", val, vaeReference)
	}
	if d := one - (recon + kl); d > 1e-3 || d < -1e-3 {
		t.Errorf("val loss %.4f is not its reconstruction %.4f + KL %.4f", one, recon, kl)
	}
}
