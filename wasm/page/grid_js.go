//go:build js && wasm

package page

import (
	"fmt"
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
// row, each digit scaled by a whole number of device pixels per MNIST pixel
// (nearest neighbour), so the digits are crisp at any devicePixelRatio; on
// a narrow screen a row's digits wrap onto two lines (perLine).
type gridView struct {
	root, legend, newDigits dom.Element
	entry                   catalog.Entry
	rows                    []dom.Canvas
	labels                  []dom.Element
	indices                 []int
	last                    protocol.Grid
	rng                     *rand.Rand
	oneLine                 bool // an embed: digits that do not fit one line are left out
}

// newGridView binds the grid; pick is the intent of asking for new digits.
func newGridView(pick func()) *gridView {
	g := &gridView{root: dom.ByID("grid"), legend: dom.ByID("code-legend"), newDigits: dom.ByID("new-digits"),
		rng: rand.New(rand.NewPCG(uint64(dom.Now()*1000), 7))}
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

// setEntry lays the rows out for a model.
func (g *gridView) setEntry(e catalog.Entry) {
	if e.Name == g.entry.Name && len(g.rows) > 0 {
		return
	}
	g.entry = e
	g.last = protocol.Grid{}
	g.root.Clear()
	g.legend.SetHidden(true)
	g.rows, g.labels = nil, nil
	for i, title := range rowTitles(e) {
		label := dom.Create("div")
		label.SetClass("row-label", true)
		label.SetText(title)
		c := dom.AsCanvas(dom.Create("canvas"))
		c.SetAttr("role", "img")
		c.SetAttr("aria-label", title)
		c.SetAttr("data-row", fmt.Sprint(i))
		if title == "code" {
			c.SetClass("codes", true)
		}
		g.root.Append(label, c.Element)
		g.rows = append(g.rows, c)
		g.labels = append(g.labels, label)
	}
}

// digits returns the test digits on show, the post's first ten to begin
// with, never past testDigits.
func (g *gridView) digits(testDigits int) []int {
	if len(g.indices) == 0 || g.indices[len(g.indices)-1] >= testDigits {
		g.indices = firstN(min(10, testDigits))
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

func firstN(n int) []int {
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	return idx
}

func (g *gridView) draw(grid protocol.Grid) {
	g.last = grid
	n, side := grid.N, grid.Side
	if n == 0 || len(g.rows) == 0 {
		return
	}
	dpr := dom.DevicePixelRatio()
	avail := g.root.Prop("clientWidth").Float()
	if lw := g.labels[0].Prop("offsetWidth").Float(); lw < avail/2 { // labels beside the rows, not above them (a phone)
		avail -= lw + 12
	}
	gap := int(4*dpr + 0.5)
	per := perLine(n, avail)
	scale := max(1, (int(avail*dpr)-gap*(per-1))/(per*side))
	cell := side * scale
	lines := (n + per - 1) / per
	if g.oneLine {
		n, lines = per, 1
	}
	w, h := per*cell+(per-1)*gap, lines*cell+(lines-1)*gap
	g.root.SetAttr("data-per-line", fmt.Sprint(per))
	codeRow := g.entry.Noise == 0 // a denoiser's rows are its input and two outputs
	rows := [][]float32{grid.Originals, nil, grid.Recon}
	if !codeRow {
		rows = [][]float32{grid.Noisy, grid.Baseline, grid.Recon}
		title := NoisyRowTitle(grid.NoiseKind, grid.Noise)
		g.labels[0].SetText(title)
		g.rows[0].SetAttr("aria-label", title)
	}
	for r, c := range g.rows {
		if rows[r] == nil && grid.Codes != nil {
			g.drawCodes(c, grid, n, per, cell, gap, dpr)
			continue
		}
		c.SetBackingSize(w, h, dpr)
		for i := 0; i < n && rows[r] != nil; i++ {
			img := viz.Digit(rows[r][i*side*side:(i+1)*side*side], side, side, scale)
			c.PutImage(img, i%per*(cell+gap), i/per*(cell+gap))
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

// drawCodes draws each code as a heat map the height of a digit, centred
// under it, with one colour scale for the whole row so codes compare.
func (g *gridView) drawCodes(c dom.Canvas, grid protocol.Grid, n, per, cell, gap int, dpr float64) {
	rows, cols := viz.CodeLayout(grid.CodeSize)
	px := max(1, cell/rows)
	lines := (n + per - 1) / per
	c.SetBackingSize(per*cell+(per-1)*gap, lines*rows*px+(lines-1)*gap, dpr)
	c.Clear()
	lo, hi := viz.Range(grid.Codes)
	for i := 0; i < n; i++ {
		img := viz.Code(grid.Codes[i*grid.CodeSize:(i+1)*grid.CodeSize], rows, cols, px, lo, hi)
		c.PutImage(img, i%per*(cell+gap)+(cell-cols*px)/2, i/per*(rows*px+gap))
	}
}

// minDigit is the smallest digit the grid draws, in CSS pixels: below it a
// phone's reader cannot tell a 4 from a 9.
const minDigit = 40

// perLine is how many of n digits fit a line of avail CSS pixels at
// minDigit or more each: all of them on a desktop, and on a phone half
// (two lines of five), so that columns of digits still line up with
// their codes and reconstructions.
func perLine(n int, avail float64) int {
	per := n
	for per > 1 && avail < float64(per*minDigit+(per-1)*4) {
		per = (per + 1) / 2
	}
	return per
}
