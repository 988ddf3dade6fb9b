package nn

import (
	"aeplay/nn/internal/nntest"
	"math"
	"testing"
)

// Keras parity: the numbers Keras itself prints or computes for the seed
// models and for small hand-worked cases.

func TestTensorFlowPadding(t *testing.T) {
	tests := []struct {
		name  string
		layer Layer
		in    Shape
		out   Shape
	}{
		{"conv stride 2 same 7->4", Conv2D(8, 3, 2, Same, ReLU), Shape{7, 7, 8}, Shape{4, 4, 8}},
		{"maxpool same 7->4", MaxPool2D(2, Same), Shape{7, 7, 8}, Shape{4, 4, 8}},
		{"maxpool valid 7->3", MaxPool2D(2, Valid), Shape{7, 7, 8}, Shape{3, 3, 8}},
		{"conv valid 16->14", Conv2D(16, 3, 1, Valid, ReLU), Shape{16, 16, 8}, Shape{14, 14, 16}},
		{"conv same 28->28", Conv2D(16, 3, 1, Same, ReLU), Shape{28, 28, 1}, Shape{28, 28, 16}},
		{"conv stride 2 valid 7->3", Conv2D(1, 3, 2, Valid, ReLU), Shape{7, 7, 1}, Shape{3, 3, 1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, err := NewModel("p", tc.in, -1, tc.layer)
			if err != nil {
				t.Fatal(err)
			}
			if got := m.Output(); !got.Equal(tc.out) {
				t.Errorf("output %v, want %v", got, tc.out)
			}
		})
	}
}

// TestSamePaddingPutsExtraPixelBottomRight works a stride-2 3x3 convolution
// of a 4x4 image by hand: TensorFlow pads one pixel in total, all of it at
// the bottom and right (PyTorch-style symmetric padding would differ).
func TestSamePaddingPutsExtraPixelBottomRight(t *testing.T) {
	m, err := NewModel("p", Shape{4, 4, 1}, -1, Conv2D(1, 3, 2, Same, Linear))
	if err != nil {
		t.Fatal(err)
	}
	conv := m.Layers[0].(*Conv2DLayer)
	for i := range conv.kernel.Value {
		conv.kernel.Value[i] = 1
	}
	x := make([]float32, 16)
	for i := range x {
		x[i] = float32(i + 1) // rows 1..4, 5..8, 9..12, 13..16
	}
	y := make([]float32, 4)
	m.NewRunner(1, NewGoKernel()).Predict(x, 1, y)
	// (0,0): rows 0-2, cols 0-2; (0,1): rows 0-2, cols 2-3; (1,0): rows 2-3,
	// cols 0-2; (1,1): rows 2-3, cols 2-3.
	want := []float32{1 + 2 + 3 + 5 + 6 + 7 + 9 + 10 + 11, 3 + 4 + 7 + 8 + 11 + 12, 9 + 10 + 11 + 13 + 14 + 15, 11 + 12 + 15 + 16}
	for i := range want {
		if y[i] != want[i] {
			t.Errorf("y = %v, want %v", y, want)
			break
		}
	}

	pool := MaxPool2D(2, Same)
	m, err = NewModel("p", Shape{3, 3, 1}, -1, pool)
	if err != nil {
		t.Fatal(err)
	}
	x = []float32{1, 9, 2, 3, 4, 8, 7, 5, 6}
	y = make([]float32, 4)
	m.NewRunner(1, NewGoKernel()).Predict(x, 1, y)
	if want := []float32{9, 8, 7, 6}; !nntest.Equal(y, want) {
		t.Errorf("maxpool same 3x3: %v, want %v", y, want)
	}

	up := UpSampling2D(2)
	m, _ = NewModel("u", Shape{2, 2, 1}, -1, up)
	y = make([]float32, 16)
	m.NewRunner(1, NewGoKernel()).Predict([]float32{1, 2, 3, 4}, 1, y)
	if want := []float32{1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4}; !nntest.Equal(y, want) {
		t.Errorf("upsampling nearest: %v, want %v", y, want)
	}
}

// TestBCE checks binary cross-entropy against values worked out by hand,
// including Keras' clipping of p to [1e-7, 1-1e-7] (in float32, where
// 1-1e-7 rounds to 1-2^-23).
func TestBCE(t *testing.T) {
	tests := []struct {
		p, y []float32
		mean float64
	}{
		{[]float32{0.9, 0.2, 0.6}, []float32{1, 0, 0.3}, (-math.Log(0.9) - math.Log(0.8) - (0.3*math.Log(0.6) + 0.7*math.Log(0.4))) / 3},
		{[]float32{0}, []float32{1}, -math.Log(1e-7)},
		{[]float32{1}, []float32{0}, -math.Log(1.1920929e-7)},
		{[]float32{0.5, 0.5}, []float32{0, 1}, math.Ln2},
	}
	for _, tc := range tests {
		got := BCE{}.Sum(tc.p, tc.y) / float64(len(tc.p))
		if math.Abs(got-tc.mean) > 1e-5*math.Max(1, tc.mean) {
			t.Errorf("BCE(%v, %v) = %.7f, want %.7f", tc.p, tc.y, got, tc.mean)
		}
	}
	if got := (MSE{}).Sum([]float32{0.5, 1}, []float32{0, 0}) / 2; math.Abs(got-0.625) > 1e-7 {
		t.Errorf("MSE = %v, want 0.625", got)
	}
}

func TestGlorotUniform(t *testing.T) {
	build := func() *Model {
		m, err := NewModel("g", Shape{28, 28, 1}, -1, Conv2D(16, 3, 1, Same, ReLU), Conv2D(8, 3, 1, Same, ReLU), Conv2D(1, 3, 1, Same, Sigmoid))
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	m := build()
	m.Init(1)
	k := m.Param("conv2d_2/kernel") // fan_in 3*3*16, fan_out 3*3*8
	limit := math.Sqrt(6.0 / (144 + 72))
	var lo, hi float64
	for _, v := range k.Value {
		lo, hi = math.Min(lo, float64(v)), math.Max(hi, float64(v))
	}
	if lo < -limit || hi > limit || hi < 0.9*limit || lo > -0.9*limit {
		t.Errorf("conv2d_2/kernel spans [%.4f, %.4f], want about ±%.4f", lo, hi, limit)
	}
	for _, v := range m.Param("conv2d_2/bias").Value {
		if v != 0 {
			t.Fatal("biases must start at zero")
		}
	}
	m2 := build()
	m2.Init(1)
	if !nntest.Equal(m.Param("conv2d_3/kernel").Value, m2.Param("conv2d_3/kernel").Value) {
		t.Error("same seed gave different weights")
	}
	m2.Init(2)
	if nntest.Equal(m.Param("conv2d_3/kernel").Value, m2.Param("conv2d_3/kernel").Value) {
		t.Error("different seeds gave the same weights")
	}
}

func TestFastMath(t *testing.T) {
	for x := float32(-87); x < 88; x += 0.37 { // normal results; subnormals keep fewer bits
		want := math.Exp(float64(x))
		if got := float64(expf(x)); math.Abs(got-want) > 3e-7*want {
			t.Fatalf("expf(%v) = %v, want %v", x, got, want)
		}
	}
	for _, x := range []float32{1e-7, 1.1920929e-7, 1e-3, 0.1, 0.5, 0.70710677, 1, 1.5, 2, 1000, 3.4e38, 1e-40} {
		want := math.Log(float64(x))
		if got := float64(logf(x)); math.Abs(got-want) > 3e-7*math.Max(1, math.Abs(want)) {
			t.Errorf("logf(%v) = %v, want %v", x, got, want)
		}
	}
	for x := float32(1e-6); x < 1; x *= 1.01 {
		want := math.Log(float64(x))
		if got := float64(logf(x)); math.Abs(got-want) > 3e-7*math.Max(1, math.Abs(want)) {
			t.Fatalf("logf(%v) = %v, want %v", x, got, want)
		}
	}
	if s := sigmoidf(-200); s != 0 || sigmoidf(200) != 1 || sigmoidf(0) != 0.5 {
		t.Error("sigmoid saturation")
	}
}
