package main

import (
	"math"
	"os"
	"strconv"
	"testing"

	"aeplay/nn/pca"
	"aeplay/scripts/internal/mnistdata"
)

// TestPCAFilesReproduce: the committed PCA baselines have orthonormal
// components and reconstruct the test digits with the losses their
// metadata (and so the page) states.
func TestPCAFilesReproduce(t *testing.T) {
	data, err := mnistdata.Load("")
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []int{2, 32, 128} {
		b, err := os.ReadFile("../../web/models/pca" + strconv.Itoa(k) + ".safetensors")
		if err != nil {
			t.Fatal(err)
		}
		p, meta, err := pca.Read(b)
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Components) != k {
			t.Fatalf("pca%d has %d components", k, len(p.Components))
		}
		for a := 0; a < k; a += 7 {
			for c := a; c < k; c += 5 {
				var dot float64
				for j := range p.Components[a] {
					dot += p.Components[a][j] * p.Components[c][j]
				}
				want := 0.0
				if a == c {
					want = 1
				}
				if math.Abs(dot-want) > 1e-4 {
					t.Errorf("pca%d: components %d·%d = %v", k, a, c, dot)
				}
			}
		}
		bce, mse := Losses(p, data.Test)
		wb, _ := strconv.ParseFloat(meta["val_bce"], 64)
		wm, _ := strconv.ParseFloat(meta["val_mse"], 64)
		if math.Abs(bce-wb) > 1e-4*wb || math.Abs(mse-wm) > 1e-4*wm {
			t.Errorf("pca%d: BCE %.5f MSE %.6f, metadata says %.5f %.6f", k, bce, mse, wb, wm)
		}
	}
}
