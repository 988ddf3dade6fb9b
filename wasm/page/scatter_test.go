package page

import (
	"math"
	"testing"
)

func TestScatterMapsAndFinds(t *testing.T) {
	pts := []float32{0, 0, 10, 5, -3, 2, 10.1, 5}
	s := NewScatter(pts, []uint8{1, 2, 3, 4}, 4, 200, 100)
	for i := 0; i < 4; i++ {
		px, py := s.ToPixel(i)
		if px < 0 || px > 200 || py < 0 || py > 100 {
			t.Errorf("point %d at (%v, %v), outside the canvas", i, px, py)
		}
		x, y := s.PixelToData(px, py)
		if math.Abs(x-float64(pts[2*i])) > 1e-6 || math.Abs(y-float64(pts[2*i+1])) > 1e-6 {
			t.Errorf("point %d round trip: (%v, %v)", i, x, y)
		}
	}
	px, py := s.ToPixel(2)
	if got := s.Nearest(px+2, py-1, 6); got != 2 {
		t.Errorf("nearest to point 2's pixel: %d", got)
	}
	if got := s.Nearest(199, 99, 6); got != -1 { // the bottom-right corner is empty
		t.Errorf("nearest to an empty spot: %d", got)
	}
	img := s.Render(2)
	if x, y := s.ToPixel(0); img.RGBAAt(int(x), int(y)).A == 0 {
		t.Error("point 0 not drawn")
	}
	if img.RGBAAt(199, 0).A != 0 {
		t.Error("an empty corner drawn")
	}
}

// TestScatterOnAHiddenCanvas: a canvas in a hidden panel measures 0×0; the
// scatter still builds (the random UI test found the page's panic).
func TestScatterOnAHiddenCanvas(t *testing.T) {
	s := NewScatter([]float32{0, 0, 1, 1}, []uint8{1, 2}, 2, 0, 0)
	if s.Nearest(0, 0, 6) < 0 {
		t.Error("no point near the only pixel")
	}
}
