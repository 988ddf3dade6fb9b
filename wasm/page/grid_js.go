//go:build js && wasm

package page

import (
	"fmt"

	"aeplay/internal/numfmt"
	"aeplay/nn/viz"
	"aeplay/wasm/dom"
	"aeplay/wasm/protocol"
)

// gridView draws the digit grid: one canvas per row, each digit scaled by a
// whole number of device pixels per MNIST pixel (nearest neighbour), so the
// digits are crisp at any devicePixelRatio.
type gridView struct {
	root   dom.Element
	model  string
	rows   []dom.Canvas
	labels []dom.Element
}

func newGridView(root dom.Element) *gridView { return &gridView{root: root} }

// rowTitles are the rows of each model's grid, top to bottom.
func rowTitles(model string) []string {
	if model == "denoise" {
		return []string{"noisy input", "conv AE (clean-trained)", "denoising AE"}
	}
	return []string{"original", "code", "reconstruction"}
}

func (g *gridView) setModel(model string) {
	if model == g.model {
		return
	}
	g.model = model
	g.root.Clear()
	g.rows, g.labels = nil, nil
	for i, title := range rowTitles(model) {
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

func (g *gridView) draw(grid protocol.Grid, model string) {
	g.setModel(model)
	n, side := grid.N, grid.Side
	if n == 0 || len(g.rows) == 0 {
		return
	}
	dpr := dom.DevicePixelRatio()
	avail := g.rows[0].Prop("parentElement").Get("clientWidth").Float() - g.labels[0].Prop("offsetWidth").Float() - 12
	gap := int(4*dpr + 0.5)
	scale := max(1, (int(avail*dpr)-gap*(n-1))/(n*side))
	cell := side * scale
	w := n*cell + (n-1)*gap
	rows := [][]float32{grid.Originals, nil, grid.Recon}
	if model == "denoise" {
		rows = [][]float32{grid.Noisy, grid.Conv, grid.Recon}
	}
	for r, c := range g.rows {
		h := cell
		if rows[r] == nil && grid.Codes != nil {
			g.drawCodes(c, grid, cell, gap, dpr)
			continue
		}
		c.SetBackingSize(w, h, dpr)
		for i := 0; i < n && rows[r] != nil; i++ {
			img := viz.Digit(rows[r][i*side*side:(i+1)*side*side], side, side, scale)
			c.PutImage(img, i*(cell+gap), 0)
		}
	}
	if grid.Codes != nil {
		lo, hi := viz.Range(grid.Codes)
		leg := dom.ByID("code-legend")
		leg.Clear()
		lo1, ramp, hi1 := dom.Create("span"), dom.Create("span"), dom.Create("span")
		lo1.SetText("code " + numfmt.Loss(float64(lo)))
		ramp.SetClass("ramp", true)
		hi1.SetText(numfmt.Loss(float64(hi)))
		leg.Append(lo1, ramp, hi1)
		leg.SetHidden(false)
	} else {
		dom.ByID("code-legend").SetHidden(true)
	}
}

// drawCodes draws each code as a heat map the height of a digit, centred
// under it, with one colour scale for the whole row so codes compare.
func (g *gridView) drawCodes(c dom.Canvas, grid protocol.Grid, cell, gap int, dpr float64) {
	n := grid.N
	rows, cols := viz.CodeLayout(grid.CodeSize)
	px := max(1, cell/rows)
	c.SetBackingSize(n*cell+(n-1)*gap, rows*px, dpr)
	c.Clear()
	lo, hi := viz.Range(grid.Codes)
	for i := 0; i < n; i++ {
		img := viz.Code(grid.Codes[i*grid.CodeSize:(i+1)*grid.CodeSize], rows, cols, px, lo, hi)
		c.PutImage(img, i*(cell+gap)+(cell-cols*px)/2, 0)
	}
}
