package page

import "math"

// GridGeometry is where the digit grid's cells go in one row's canvas, in
// device pixels. The style sheet sizes the canvas (index.html holds the
// rows, style.css their aspect ratio), so the grid's place is reserved
// before the page's code runs and drawing it never moves the page; the
// drawing fits the box it is given.
type GridGeometry struct {
	Per, Lines int // digits a line, and lines
	Cell       int // a digit's side
	Gap        int // between digits, both ways
	Left, Top  int // the first digit's corner: the cells are centred in the box
}

// Wide boxes hold one line of digits. The style sheet gives the grid's rows
// an aspect ratio of 10.4 when ten digits of 40 CSS pixels fit a line (below
// that a phone's reader cannot tell a 4 from a 9), else 2.5 (two lines of
// five), and an embed's one line 14 or 7 (its frame is short); these
// thresholds sit between those ratios, so the style sheet alone decides.
const (
	oneLineRatio  = 6 // a box at least this wide for its height holds one line
	tenInOneRatio = 8 // an embed's line holds all ten at this ratio, else five
)

// LayoutGrid places n digits of side 28 in a box of w×h device pixels, at
// least gap apart. oneLine (an embed) keeps one line and leaves out the
// digits that do not fit it. A digit is scaled by a whole number when that
// loses at most a sixth of the room (crisp), else to the pixel (still
// nearest neighbour), so a narrow box is filled rather than left half empty.
func LayoutGrid(n, w, h, gap int, oneLine bool) GridGeometry {
	g := GridGeometry{Per: n, Lines: 1, Gap: gap}
	if n <= 0 || w <= 0 || h <= 0 {
		return g
	}
	ratio := float64(w) / float64(h)
	switch {
	case oneLine && ratio < tenInOneRatio && n > 1:
		g.Per = (n + 1) / 2
	case !oneLine && ratio < oneLineRatio && n > 1:
		g.Per, g.Lines = (n+1)/2, 2
	}
	fit := math.Min(float64(w-(g.Per-1)*gap)/float64(g.Per), float64(h-(g.Lines-1)*gap)/float64(g.Lines))
	g.Cell = max(1, int(fit))
	if k := int(fit / 28); k >= 1 && float64(28*k) >= fit*5/6 {
		g.Cell = 28 * k
	}
	g.Left = max(0, (w-(g.Per*g.Cell+(g.Per-1)*gap))/2)
	g.Top = max(0, (h-(g.Lines*g.Cell+(g.Lines-1)*gap))/2)
	return g
}

// Shown is how many of n digits the geometry draws.
func (g GridGeometry) Shown(n int) int { return min(n, g.Per*g.Lines) }

// At is the corner of digit i's cell.
func (g GridGeometry) At(i int) (x, y int) {
	return g.Left + i%g.Per*(g.Cell+g.Gap), g.Top + i/g.Per*(g.Cell+g.Gap)
}
