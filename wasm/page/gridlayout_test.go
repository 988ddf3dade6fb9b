package page

import "testing"

func TestLayoutGrid(t *testing.T) {
	for _, c := range []struct {
		name            string
		n, w, h, gap    int
		oneLine         bool
		per, lines, cel int
	}{
		// A 1280-px desktop: a 603-px row, ratio 10.4, at DPR 1: scale 2.
		{"desktop", 10, 603, 58, 4, false, 10, 1, 56},
		// The same at DPR 2: scale 4.
		{"desktop dpr 2", 10, 1206, 116, 8, false, 10, 1, 112},
		// A 390-px phone at DPR 3: two lines of five, scale 7.
		{"phone", 10, 1098, 439, 12, false, 5, 2, 196},
		// A narrow desktop column: whole scales would leave a third empty,
		// so the digits fill it to the pixel.
		{"narrow", 10, 435, 174, 4, false, 5, 2, 83},
		// An embed keeps one line: ten when they fit, else five.
		{"embed", 10, 528, 38, 4, true, 10, 1, 38},
		{"embed phone", 10, 345, 49, 8, true, 5, 1, 49},
		{"fewer digits", 3, 603, 58, 4, false, 3, 1, 56},
	} {
		t.Run(c.name, func(t *testing.T) {
			g := LayoutGrid(c.n, c.w, c.h, c.gap, c.oneLine)
			if g.Per != c.per || g.Lines != c.lines || g.Cell != c.cel {
				t.Fatalf("got %d a line, %d lines, cells of %d; want %d, %d, %d", g.Per, g.Lines, g.Cell, c.per, c.lines, c.cel)
			}
			shown := g.Shown(c.n)
			if !c.oneLine && shown != c.n {
				t.Errorf("shows %d of %d digits", shown, c.n)
			}
			for i := 0; i < shown; i++ {
				x, y := g.At(i)
				if x < 0 || y < 0 || x+g.Cell > c.w || y+g.Cell > c.h {
					t.Errorf("digit %d at (%d, %d), %d px: outside the %d×%d box", i, x, y, g.Cell, c.w, c.h)
				}
			}
			// Centred: the room left over is shared both ways.
			last, _ := g.At(g.Per - 1)
			if right := c.w - (last + g.Cell); right-g.Left > 1 || g.Left-right > 1 {
				t.Errorf("%d px left and %d right of the digits", g.Left, right)
			}
		})
	}
}

func TestLayoutGridEmptyBox(t *testing.T) {
	if g := LayoutGrid(10, 0, 0, 4, false); g.Shown(10) != 10 || g.Cell != 0 {
		t.Errorf("an unsized box: %+v", g)
	}
}
