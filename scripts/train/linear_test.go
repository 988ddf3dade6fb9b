package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"aeplay/nn"
	"aeplay/nn/catalog"
	"aeplay/nn/pca"
	"aeplay/nn/train"
	"aeplay/nn/weights"
	"aeplay/scripts/internal/mnistdata"
)

// TestLinearAutoencoderNearPCA: the post's remark that a linear
// autoencoder "spans the space of the PCA solution", measured: the
// pretrained linear model's val MSE on the 10,000 test digits is within 5 %
// of PCA with as many components (32), which it cannot beat.
func TestLinearAutoencoderNearPCA(t *testing.T) {
	e, _ := catalog.Resolve("linear")
	m, _ := e.New()
	if _, err := weights.ReadFile(filepath.Join("..", "..", "web", "models", "linear.safetensors"), m); err != nil {
		t.Fatal(err)
	}
	set, err := mnistdata.Load("")
	if err != nil {
		t.Fatal(err)
	}
	mse, err := train.Evaluate(m, train.Dataset{Images: set.Test}, nn.MSE{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join("..", "..", "web", "models", "pca32.safetensors"))
	if err != nil {
		t.Fatal(err)
	}
	_, meta, err := pca.Read(b)
	if err != nil {
		t.Fatal(err)
	}
	pcaMSE, err := strconv.ParseFloat(meta["val_mse"], 64)
	if err != nil {
		t.Fatalf("pca32's val_mse %q", meta["val_mse"])
	}
	fmt.Printf("linear autoencoder val MSE %.5f, PCA 32 %.5f: %+.2f %%\n", mse, pcaMSE, 100*(mse/pcaMSE-1))
	if mse > 1.05*pcaMSE || mse < 0.99*pcaMSE {
		t.Errorf("linear autoencoder val MSE %.5f, PCA 32's %.5f: not within 5 %% above", mse, pcaMSE)
	}
}
