package nn

import "testing"

// TestWindowCovers: 'same' pooling windows cover every input pixel; 'valid'
// ones drop the last row and column of an odd size.
func TestWindowCovers(t *testing.T) {
	for _, c := range []struct {
		in   int
		pad  Padding
		want bool
	}{{7, Same, true}, {8, Same, true}, {7, Valid, false}, {8, Valid, true}} {
		oh, pt, _ := outSize(c.in, 2, 2, c.pad)
		w := Window{H: c.in, W: c.in, C: 1, OH: oh, OW: oh, KH: 2, KW: 2, Stride: 2, PadT: pt, PadL: pt}
		if got := w.covers(); got != c.want {
			t.Errorf("%d×%d %v: covers %v, want %v", c.in, c.in, c.pad, got, c.want)
		}
	}
}
