package page

import (
	"reflect"
	"testing"
)

func TestNiceTicks(t *testing.T) {
	cases := []struct {
		lo, hi float64
		n      int
		want   []float64
	}{
		{0, 1, 5, []float64{0, 0.2, 0.4, 0.6, 0.8, 1}},
		{0.08, 0.3, 5, []float64{0.1, 0.15, 0.2, 0.25, 0.3}},
		{0, 50, 6, []float64{0, 10, 20, 30, 40, 50}},
		{0, 3, 6, []float64{0, 0.5, 1, 1.5, 2, 2.5, 3}},
		// The embed's small chart asks for two: one (0.2) is not a scale.
		{0.077, 0.31, 2, []float64{0.1, 0.2, 0.3}},
	}
	for _, c := range cases {
		if got := NiceTicks(c.lo, c.hi, c.n); !reflect.DeepEqual(got, c.want) {
			t.Errorf("NiceTicks(%v, %v, %d) = %v, want %v", c.lo, c.hi, c.n, got, c.want)
		}
	}
}

func TestLayoutMapsDataIntoThePlot(t *testing.T) {
	c := Curves{Epochs: 5, Train: []Point{{1, 0.3}, {2, 0.2}}, Val: []Point{{1, 0.25}, {2, 0.15}}}
	s := c.Layout(600, 300, 2)
	if s.X0 != 0 || s.X1 != 5 || !(s.Y0 < 0.15 && s.Y1 > 0.3) {
		t.Errorf("ranges x [%v, %v], y [%v, %v]", s.X0, s.X1, s.Y0, s.Y1)
	}
	if x := s.X(5); x != s.Right {
		t.Errorf("x=5 maps to %v, want the right edge %v", x, s.Right)
	}
	if y := s.Y(s.Y1); y != s.Top {
		t.Errorf("top value maps to %v, want %v", y, s.Top)
	}
}

func TestLayoutSpansTheRunNotThePretrainedCurves(t *testing.T) {
	c := Curves{Epochs: 2, Val: []Point{{0, 0.7}, {1, 0.4}}, PretrainVal: []Point{{1, 0.2}, {50, 0.09}}}
	s := c.Layout(600, 300, 1)
	if s.X1 != 2 || s.Y0 > 0.2 || s.Y0 < 0.1 {
		t.Errorf("x up to %v (want 2), y from %v (want the pretrained curve's first epoch, 0.2, in view)", s.X1, s.Y0)
	}
}

// TestLayoutLeavesOutAFreshModelsLoss: the baseline before training and
// the first batches (far above the rest) do not set the y axis once half an
// epoch is in; they are drawn at the top edge.
func TestLayoutLeavesOutAFreshModelsLoss(t *testing.T) {
	c := Curves{Epochs: 3, Val: []Point{{0, 0.69}, {1, 0.2}, {2, 0.15}}, Batch: []Point{{0.01, 0.69}, {0.3, 0.4}, {0.6, 0.25}, {1.5, 0.18}},
		PretrainVal: []Point{{1, 0.17}, {3, 0.1}}}
	s := c.Layout(600, 300, 1)
	if s.Y1 > 0.3 || s.Y0 > 0.1 {
		t.Errorf("y axis [%v, %v], want it to fit 0.1 to 0.25", s.Y0, s.Y1)
	}
	if y := s.Y(0.69); y != s.Top {
		t.Errorf("the baseline is drawn at %v, want the top edge %v", y, s.Top)
	}
	young := Curves{Epochs: 3, Val: []Point{{0, 0.69}}, Batch: []Point{{0.1, 0.6}}}
	if s := young.Layout(600, 300, 1); s.Y1 < 0.69 {
		t.Errorf("half an epoch in, the axis tops at %v, below the data", s.Y1)
	}
}

func TestBatchLineStaysBounded(t *testing.T) {
	var c Curves
	for i := 0; i < 10000; i++ {
		c.AddBatch(Point{float64(i), 1})
	}
	if len(c.Batch) > maxBatchPoints || len(c.Batch) < maxBatchPoints/2 || c.Batch[0].X != 0 {
		t.Errorf("%d batch points kept", len(c.Batch))
	}
}
