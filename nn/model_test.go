package nn

import (
	"testing"

	"aeplay/nn/internal/nntest"
)

// TestNewModelCopiesItsLayers: the layers given to NewModel are templates:
// they stay unbuilt and unnamed, and two models built from them share no
// weights. Clone copies the weights into a model that shares nothing.
func TestNewModelCopiesItsLayers(t *testing.T) {
	layers := []Layer{Dense(4, ReLU), Dense(6, Sigmoid)}
	a, err := NewModel("a", Shape{6}, 0, layers...)
	if err != nil {
		t.Fatal(err)
	}
	b, err := NewModel("b", Shape{6}, 0, layers...)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range layers {
		if l.Name() != "" || l.OutputShape() != nil || len(l.(*DenseLayer).kernel.Value) != 0 {
			t.Errorf("template %s was built", l.Type())
		}
	}
	if a.Layers[0].Name() != "dense_1" || b.Layers[1].Name() != "dense_2" {
		t.Errorf("names %s, %s", a.Layers[0].Name(), b.Layers[1].Name())
	}
	a.Init(1)
	b.Init(2)
	if nntest.Equal(a.Params()[0].Value, b.Params()[0].Value) {
		t.Error("two models built from the same layers share weights")
	}
	c := a.Clone()
	if !nntest.Equal(c.Params()[0].Value, a.Params()[0].Value) || c.NumParams() != a.NumParams() || c.Code != a.Code {
		t.Error("a clone differs from its model")
	}
	c.Params()[0].Value[0]++
	if c.Params()[0].Value[0] == a.Params()[0].Value[0] {
		t.Error("a clone shares its model's weights")
	}
}

// TestMACs: the forward multiply-adds of a small model, by hand.
func TestMACs(t *testing.T) {
	m, err := NewModel("m", Shape{6, 6, 1}, -1, Conv2D(2, 3, 1, Same, ReLU), MaxPool2D(2, Same), Flatten(), Dense(5, Linear))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := m.MACs(), 6*6*3*3*1*2+3*3*2*5; got != want {
		t.Errorf("MACs %d, want %d", got, want)
	}
}

// TestMaskingNoise: about p of the pixels dropped to 0, the rest x/255,
// the same for the same seed and index whatever else was drawn.
func TestMaskingNoise(t *testing.T) {
	px := make([]uint8, 10000)
	for i := range px {
		px[i] = 200
	}
	a, b := make([]float32, len(px)), make([]float32, len(px))
	Corrupt(a, px, Masking, 0.3, 1, 7)
	Corrupt(b, px, Masking, 0.3, 1, 7)
	zeros := 0
	for i, v := range a {
		if v != b[i] {
			t.Fatal("the same image was masked differently")
		}
		switch v {
		case 0:
			zeros++
		case 200.0 / 255:
		default:
			t.Fatalf("pixel %d is %v: neither dropped nor kept", i, v)
		}
	}
	if zeros < 2800 || zeros > 3200 {
		t.Errorf("%d of 10,000 pixels dropped at p 0.3", zeros)
	}
	Corrupt(b, px, Masking, 0.3, 1, 8)
	same := 0
	for i := range a {
		if a[i] == b[i] {
			same++
		}
	}
	if same == len(a) {
		t.Error("another image got the same mask")
	}
}
