package page

import (
	"strings"
	"testing"

	"aeplay/nn/catalog"
)

// TestLayerPictures: every layer of the conv model gets a line and a
// picture of the size its shape asks: 16 tiles of 28 px for the first
// convolution, the 128-value code as the post's 16×8 block, the
// reconstruction as a digit.
func TestLayerPictures(t *testing.T) {
	conv, _ := catalog.Lookup("conv")
	p, err := conv.Spec.Plan()
	if err != nil {
		t.Fatal(err)
	}
	for i, l := range conv.Spec.Layers {
		if line := LayerLine(l); line == "" {
			t.Errorf("layer %d (%s) has no line", i+1, l.Kind)
		}
		out := p.Layers[i].Out
		n := 1
		for _, d := range out {
			n *= d
		}
		img := LayerPicture(make([]float32, n), out)
		if img.Bounds().Empty() {
			t.Errorf("layer %d: an empty picture", i+1)
		}
	}
	if b := LayerPicture(make([]float32, 28*28*16), []int{28, 28, 16}).Bounds(); b.Dx() != 16*30-2 || b.Dy() != 28 {
		t.Errorf("16 feature maps of 28×28: %v", b)
	}
	if b := LayerPicture(make([]float32, 128), []int{128}).Bounds(); b.Dx() != 8*8 || b.Dy() != 16*8 {
		t.Errorf("the 128-value code: %v", b)
	}
	if b := LayerPicture(make([]float32, 784), []int{784}).Bounds(); b.Dx() != 56 {
		t.Errorf("784 values: %v", b)
	}
	if !strings.Contains(LayerLine(conv.Spec.Layers[0]), "16 filters of 3×3") {
		t.Errorf("%q", LayerLine(conv.Spec.Layers[0]))
	}
}
