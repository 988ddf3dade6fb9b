//go:build js && wasm

package page

import (
	"fmt"
	"image"
	"math/rand/v2"

	"aeplay/internal/numfmt"
	"aeplay/nn/catalog"
	"aeplay/nn/viz"
	"aeplay/wasm/dom"
	"aeplay/wasm/protocol"
)

// gridView is the digit grid — the originals, their codes and the
// reconstructions, or for a denoiser its noisy input, what the baseline
// model makes of it and what the denoiser does — with its code legend and
// the New digits button. It keeps which test digits it shows. One canvas a
// row, in index.html from the start and sized by the style sheet, so the
// grid's place is kept while the page loads; each draw fits the digits to
// the canvas's box (LayoutGrid: on a narrow screen two lines of five),
// nearest neighbour at the device's pixel ratio.
type gridView struct {
	root, legend, newDigits dom.Element
	entry                   catalog.Entry
	rows                    []dom.Canvas
	labels                  []dom.Element
	scratch                 dom.Canvas // a row's digits at one pixel a pixel, scaled from here
	indices                 []int
	last                    protocol.Grid
	rng                     *rand.Rand
	oneLine                 bool // an embed: digits that do not fit one line are left out
}

// newGridView binds the grid; pick is the intent of asking for new digits.
func newGridView(pick func()) *gridView {
	g := &gridView{root: dom.ByID("grid"), legend: dom.ByID("code-legend"), newDigits: dom.ByID("new-digits"),
		scratch: dom.AsCanvas(dom.Create("canvas")), rng: rand.New(rand.NewPCG(uint64(dom.Now()*1000), 7))}
	g.labels = g.root.QueryAll(".row-label")
	for _, c := range g.root.QueryAll("canvas") {
		g.rows = append(g.rows, dom.AsCanvas(c))
	}
	g.newDigits.On("click", func(dom.Event) { pick() })
	return g
}

// rowTitles are the rows of an entry's grid, top to bottom.
func rowTitles(e catalog.Entry) []string {
	if e.Noise > 0 {
		return []string{"noisy input", e.Baseline + " AE (clean-trained)", "denoising AE"}
	}
	return []string{"original", "code", "reconstruction"}
}

// setEntry names the rows for a model (index.html has the three rows; a
// page without them gets them made here).
func (g *gridView) setEntry(e catalog.Entry) {
	if e.Name == g.entry.Name && e.Name != "" {
		return
	}
	g.entry = e
	g.last = protocol.Grid{}
	g.legend.SetHidden(true)
	titles := rowTitles(e)
	if len(g.rows) != len(titles) || len(g.labels) != len(titles) {
		g.root.Clear()
		g.rows, g.labels = nil, nil
		for i := range titles {
			label := dom.Create("div")
			label.SetClass("row-label", true)
			c := dom.AsCanvas(dom.Create("canvas"))
			c.SetAttr("role", "img")
			c.SetAttr("data-row", fmt.Sprint(i))
			g.root.Append(label, c.Element)
			g.rows = append(g.rows, c)
			g.labels = append(g.labels, label)
		}
	}
	for i, title := range titles {
		g.labels[i].SetText(title)
		g.rows[i].SetAttr("aria-label", title)
		g.rows[i].SetClass("codes", title == "code")
		g.rows[i].Clear()
	}
}

// digits returns the test digits on show, the post's first ten to begin
// with, never past testDigits.
func (g *gridView) digits(testDigits int) []int {
	if len(g.indices) == 0 || g.indices[len(g.indices)-1] >= testDigits {
		g.indices = firstN(min(firstDigits, testDigits))
	}
	return g.indices
}

// pickNew chooses ten other test digits out of n.
func (g *gridView) pickNew(n int) []int {
	if n < 10 {
		return g.digits(n)
	}
	seen := map[int]bool{}
	g.indices = g.indices[:0]
	for len(g.indices) < 10 {
		i := g.rng.IntN(n)
		if !seen[i] {
			seen[i] = true
			g.indices = append(g.indices, i)
		}
	}
	return g.indices
}

// compact keeps an embed's grid to one line of digits: in a blog's narrow
// column, five large digits say more than ten small ones, and the embed's
// box has no room for a second line.
func (g *gridView) compact(on bool) { g.oneLine = on }

// enable allows New digits when there are others to pick.
func (g *gridView) enable(testDigits int) { g.newDigits.SetProp("disabled", testDigits < 10) }

// redraw draws the last grid again (the window changed size).
func (g *gridView) redraw() {
	if g.last.N > 0 {
		g.draw(g.last)
	}
}

// firstDigits is how many digits the grid shows, the test set's first on a
// model's first showing.
const firstDigits = 10

func firstN(n int) []int {
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	return idx
}

func (g *gridView) draw(grid protocol.Grid) {
	g.last = grid
	if grid.N == 0 || len(g.rows) == 0 {
		return
	}
	dpr := dom.DevicePixelRatio()
	w, h, _ := g.rows[0].Fit(0)
	geo := LayoutGrid(grid.N, w, h, int(4*dpr+0.5), g.oneLine)
	n := geo.Shown(grid.N)
	g.root.SetAttr("data-per-line", fmt.Sprint(geo.Per))
	codeRow := g.entry.Noise == 0 // a denoiser's rows are its input and two outputs
	rows := [][]float32{grid.Originals, nil, grid.Recon}
	if !codeRow {
		rows = [][]float32{grid.Noisy, grid.Baseline, grid.Recon}
		title := NoisyRowTitle(grid.NoiseKind, grid.Noise)
		g.labels[0].SetText(title)
		g.rows[0].SetAttr("aria-label", title)
	}
	side := grid.Side
	for r, c := range g.rows {
		c.Fit(0)
		c.Clear()
		// Where the digits are, and how many, for tests that read them back.
		c.SetAttr("data-geometry", fmt.Sprintf("%d %d %d %d %d", geo.Left, geo.Top, geo.Cell, geo.Gap, n))
		if rows[r] == nil {
			if grid.Codes != nil {
				g.drawCodes(c, grid, n, geo)
			}
			continue
		}
		// The row's digits at one pixel a pixel, side by side, in one
		// copy; then each scaled into its cell.
		g.scratch.V.Set("width", n*side)
		g.scratch.V.Set("height", side)
		strip := image.NewRGBA(image.Rect(0, 0, n*side, side))
		for i := 0; i < n; i++ {
			d := viz.Digit(rows[r][i*side*side:(i+1)*side*side], side, side, 1)
			for y := 0; y < side; y++ {
				copy(strip.Pix[y*strip.Stride+i*side*4:], d.Pix[y*d.Stride:y*d.Stride+side*4])
			}
		}
		g.scratch.PutImage(strip, 0, 0)
		ctx := c.Context2D()
		ctx.FillStyle("#000")
		ctx.FillRect(0, 0, float64(w), float64(h))
		for i := 0; i < n; i++ {
			x, y := geo.At(i)
			ctx.DrawImage(g.scratch, i*side, 0, side, side, x, y, geo.Cell, geo.Cell)
		}
	}
	if grid.Codes != nil && codeRow {
		lo, hi := viz.Range(grid.Codes)
		leg := g.legend
		leg.Clear()
		lo1, ramp, hi1 := dom.Create("span"), dom.Create("span"), dom.Create("span")
		lo1.SetText("code " + numfmt.Loss(float64(lo)))
		ramp.SetClass("ramp", true)
		hi1.SetText(numfmt.Loss(float64(hi)))
		leg.Append(lo1, ramp, hi1)
		leg.SetHidden(false)
	} else {
		g.legend.SetHidden(true)
	}
}

// drawCodes draws each code as a heat map under its digit, as tall as the
// digit at most and centred in its cell, with one colour scale for the
// whole row so codes compare.
func (g *gridView) drawCodes(c dom.Canvas, grid protocol.Grid, n int, geo GridGeometry) {
	rows, cols := viz.CodeLayout(grid.CodeSize)
	px := max(1, geo.Cell/max(rows, cols))
	lo, hi := viz.Range(grid.Codes)
	for i := 0; i < n; i++ {
		img := viz.Code(grid.Codes[i*grid.CodeSize:(i+1)*grid.CodeSize], rows, cols, px, lo, hi)
		x, y := geo.At(i)
		c.PutImage(img, x+(geo.Cell-cols*px)/2, y+(geo.Cell-rows*px)/2)
	}
}
