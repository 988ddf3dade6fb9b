package viz

import (
	"image/color"
	"testing"
)

func TestDigitIsWhiteOnBlackAndScaled(t *testing.T) {
	img := Digit([]float32{0, 1, 0.5, 0}, 2, 2, 3)
	if img.Bounds().Dx() != 6 || img.Bounds().Dy() != 6 {
		t.Fatalf("size %v", img.Bounds())
	}
	if got := img.RGBAAt(0, 0); got != (color.RGBA{0, 0, 0, 255}) {
		t.Errorf("background %v, want black", got)
	}
	if got := img.RGBAAt(5, 2); got != (color.RGBA{255, 255, 255, 255}) {
		t.Errorf("ink %v, want white (nearest-neighbour block)", got)
	}
	if got := img.RGBAAt(1, 4); got.R != 128 {
		t.Errorf("mid grey %v", got)
	}
}

func TestViridisEnds(t *testing.T) {
	// matplotlib: viridis(0) = #440154, viridis(1) = #fde725.
	for _, c := range []struct {
		t    float64
		want color.RGBA
	}{{0, color.RGBA{0x44, 0x01, 0x54, 255}}, {1, color.RGBA{0xfd, 0xe7, 0x25, 255}}, {0.5, color.RGBA{0x21, 0x91, 0x8c, 255}}} {
		got := Viridis(c.t)
		if d := absDiff(got.R, c.want.R) + absDiff(got.G, c.want.G) + absDiff(got.B, c.want.B); d > 30 {
			t.Errorf("viridis(%v) = %v, want about %v", c.t, got, c.want)
		}
	}
}

func absDiff(a, b uint8) int {
	if a > b {
		return int(a - b)
	}
	return int(b - a)
}

func TestCodeLayout(t *testing.T) {
	for n, want := range map[int][2]int{32: {8, 4}, 128: {16, 8}, 2: {1, 2}, 1568: {40, 40}} {
		r, c := CodeLayout(n)
		if r != want[0] || c != want[1] {
			t.Errorf("CodeLayout(%d) = %dx%d, want %dx%d", n, r, c, want[0], want[1])
		}
	}
}
