package main

import (
	"math"
	"os"
	"strconv"
	"testing"

	"aeplay/nn/encoding/idx"
	"aeplay/nn/pca"
	"aeplay/scripts/internal/mnistdata"
)

// TestPCAFilesReproduce: the committed PCA baselines have orthonormal
// components, and the losses their metadata (and so the page) states are
// what the components give on the test digits, recomputed here in float64
// by a projection of the test's own, not by the code that wrote them.
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
		bce, mse := losses64(p, data.Test)
		wb, _ := strconv.ParseFloat(meta["val_bce"], 64)
		wm, _ := strconv.ParseFloat(meta["val_mse"], 64)
		if math.Abs(bce-wb) > 1e-4*wb || math.Abs(mse-wm) > 1e-4*wm {
			t.Errorf("pca%d: BCE %.5f MSE %.6f, metadata says %.5f %.6f", k, bce, mse, wb, wm)
		}
	}
}

// losses64 reconstructs each test digit from its projection on the
// components, x̂ = μ + Σ_c ((x-μ)·v_c) v_c, and returns the mean binary
// cross-entropy (p clipped as Keras clips it in float32: to [1e-7,
// 1-2⁻²³], 1-1e-7 rounded) and squared error, all in float64.
func losses64(p *pca.PCA, im *idx.Images) (bce, mse float64) {
	d := im.Size()
	x, y := make([]float64, d), make([]float64, d)
	for i := 0; i < im.N; i++ {
		for j, v := range im.Image(i) {
			x[j] = float64(v) / 255
		}
		copy(y, p.Mean)
		for _, c := range p.Components {
			var t float64
			for j := range x {
				t += (x[j] - p.Mean[j]) * c[j]
			}
			for j := range y {
				y[j] += t * c[j]
			}
		}
		for j := range x {
			q := math.Min(math.Max(y[j], float64(float32(1e-7))), 1-0x1p-23)
			bce -= x[j]*math.Log(q) + (1-x[j])*math.Log(1-q)
			mse += (y[j] - x[j]) * (y[j] - x[j])
		}
	}
	n := float64(im.N * d)
	return bce / n, mse / n
}
