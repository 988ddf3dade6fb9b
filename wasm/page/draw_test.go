package page

import (
	"math"
	"testing"
)

func TestPreprocessFitsAndCentres(t *testing.T) {
	const w, h = 280, 280
	px := make([]float32, w*h)
	// A tall bar in the top-left corner: 20 wide, 150 high.
	for y := 10; y < 160; y++ {
		for x := 10; x < 30; x++ {
			px[y*w+x] = 1
		}
	}
	d := Preprocess(px, w, h)
	var mass, mx, my float64
	x0, y0, x1, y1 := 28, 28, -1, -1
	var peak float32
	for y := 0; y < 28; y++ {
		for x := 0; x < 28; x++ {
			v := float64(d[y*28+x])
			peak = max(peak, d[y*28+x])
			mass += v
			mx += v * (float64(x) + 0.5)
			my += v * (float64(y) + 0.5)
			if v > 0.2 {
				x0, y0, x1, y1 = min(x0, x), min(y0, y), max(x1, x), max(y1, y)
			}
		}
	}
	if math.Abs(mx/mass-14) > 1 || math.Abs(my/mass-14) > 1 {
		t.Errorf("centre of mass (%.1f, %.1f), want about (14, 14)", mx/mass, my/mass)
	}
	if y1-y0+1 > 21 || y1-y0+1 < 19 || x1-x0+1 > 5 {
		t.Errorf("ink box %dx%d, want about 3x20 (the bar's aspect, 20 high)", x1-x0+1, y1-y0+1)
	}
	if peak != 1 {
		t.Errorf("peak %v, want 1", peak)
	}
	blank := Preprocess(make([]float32, w*h), w, h)
	for _, v := range blank {
		if v != 0 {
			t.Fatal("a blank drawing gave ink")
		}
	}
}

func TestAddNoisePixels(t *testing.T) {
	digit := make([]float32, 784)
	noise := make([]float32, 280*280)
	for i := 0; i < 100; i++ { // the top-left 10x10 block, fully noisy
		noise[(i/10)*280+i%10] = 1
	}
	AddNoisePixels(digit, noise, 280, 280)
	if digit[0] != 1 || digit[1] != 0 || digit[28] != 0 {
		t.Errorf("noise landed at %v %v %v", digit[0], digit[1], digit[28])
	}
	// Negative noise darkens ink, clipped at 0, as Gaussian noise does.
	digit[1] = 0.8
	for i := 0; i < 100; i++ {
		noise[(i/10)*280+10+i%10] = -1
	}
	AddNoisePixels(digit, noise, 280, 280)
	if digit[1] != 0 {
		t.Errorf("ink under noise -1: %v, want 0", digit[1])
	}
}
