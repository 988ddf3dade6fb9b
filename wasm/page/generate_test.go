package page

import (
	"math"
	"testing"

	"aeplay/nn/catalog"
)

func TestProbit(t *testing.T) {
	for _, c := range []struct{ p, want float64 }{{0.5, 0}, {0.95, 1.6448536}, {0.05, -1.6448536}, {0.975, 1.9599640}} {
		if got := Probit(c.p); math.Abs(got-c.want) > 1e-6 {
			t.Errorf("Probit(%v) = %v, want %v", c.p, got, c.want)
		}
	}
}

// TestManifoldCodes: the post's 15×15 grid, norm.ppf(linspace(0.05, 0.95,
// 15)) on each axis, x along a row, y falling down the rows; every code
// different; the linear grid spans ±3.
func TestManifoldCodes(t *testing.T) {
	z := ManifoldCodes(15, 2, Quantiles)
	if len(z) != 15*15*2 {
		t.Fatalf("%d values", len(z))
	}
	if x0, y0 := z[0], z[1]; math.Abs(float64(x0)+1.6448536) > 1e-5 || math.Abs(float64(y0)-1.6448536) > 1e-5 {
		t.Errorf("top left (%v, %v), want (−1.645, 1.645)", x0, y0)
	}
	if mid := z[(7*15+7)*2:]; mid[0] != 0 || mid[1] != 0 {
		t.Errorf("the centre is (%v, %v)", mid[0], mid[1])
	}
	// Quantile steps are narrow in the middle, wide at the edges.
	if inner, outer := z[8*2]-z[7*2], z[1*2]-z[0]; !(inner < outer) {
		t.Errorf("steps %v in the middle, %v at the edge: not Gaussian quantiles", inner, outer)
	}
	seen := map[[2]float32]bool{}
	for i := 0; i < 225; i++ {
		seen[[2]float32{z[2*i], z[2*i+1]}] = true
	}
	if len(seen) != 225 {
		t.Errorf("%d distinct codes of 225", len(seen))
	}
	l := ManifoldCodes(15, 4, Linear)
	if l[0] != -3 || l[1] != 3 || l[2] != 0 || l[(15*15-1)*4] != 3 {
		t.Errorf("the linear grid: %v … %v", l[:4], l[len(l)-4:])
	}
}

func TestSampleCodes(t *testing.T) {
	a, b := SampleCodes(1000, 2, 1), SampleCodes(1000, 2, 1)
	var sum, sq float64
	for i := range a {
		if a[i] != b[i] {
			t.Fatal("the same seed drew differently")
		}
		sum += float64(a[i])
		sq += float64(a[i]) * float64(a[i])
	}
	if m, v := sum/2000, sq/2000; math.Abs(m) > 0.1 || math.Abs(v-1) > 0.1 {
		t.Errorf("mean %v, variance %v: not N(0, 1)", m, v)
	}
	if c := SampleCodes(4, 2, 2); c[0] == a[0] {
		t.Error("another seed drew the same")
	}
}

func TestSamplesAndMosaic(t *testing.T) {
	vae, _ := catalog.Resolve("vae")
	simple, _ := catalog.Resolve("simple")
	if !Samples(vae.Spec) || Samples(simple.Spec) {
		t.Error("only the VAE samples")
	}
	px := make([]float32, 3*784)
	px[784+28*28-1] = 1 // the second image's last pixel
	img := Mosaic(px, 3, 2)
	if b := img.Bounds(); b.Dx() != 56 || b.Dy() != 56 {
		t.Fatalf("bounds %v", b)
	}
	if img.RGBAAt(55, 27).R != 255 || img.RGBAAt(27, 27).R != 0 {
		t.Error("the second image is not to the right of the first")
	}
}
