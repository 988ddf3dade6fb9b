//go:build js && wasm

package page

import (
	"math"
	"strconv"

	"aeplay/wasm/dom"
)

// drawChart draws the loss curves at device resolution.
func (a *app) drawChart() {
	c := a.chart
	w, h, dpr := c.Fit(0)
	if w == 0 || h == 0 {
		return
	}
	ctx := c.Context2D()
	ctx.ClearRect(0, 0, float64(w), float64(h))
	sc := a.curves.Layout(float64(w), float64(h), dpr)
	grid, fg, muted := dom.CSSVar("--chart-grid"), dom.CSSVar("--chart-train"), dom.CSSVar("--muted")
	ctx.Font(strconv.Itoa(int(11*dpr)) + "px system-ui, sans-serif")
	ctx.LineWidth(1 * dpr)
	ctx.StrokeStyle(grid)
	ctx.FillStyle(muted)
	ctx.TextAlign("right")
	ctx.TextBaseline("middle")
	for _, t := range sc.YTicks {
		y := math.Round(sc.Y(t)) + 0.5
		ctx.Polyline([]float64{sc.Left, y, sc.Right, y})
		ctx.FillText(strconv.FormatFloat(t, 'g', 4, 64), sc.Left-6*dpr, y)
	}
	ctx.TextAlign("center")
	ctx.TextBaseline("top")
	for _, t := range sc.XTicks {
		x := math.Round(sc.X(t)) + 0.5
		ctx.Polyline([]float64{x, sc.Top, x, sc.Bottom})
		ctx.FillText(strconv.FormatFloat(t, 'g', 4, 64), x, sc.Bottom+5*dpr)
	}
	ctx.TextAlign("left")
	ctx.FillText("epoch", 2*dpr, sc.Bottom+5*dpr)

	line := func(pts []Point, colour string, width float64, dash bool, dots bool) {
		if len(pts) == 0 {
			return
		}
		xy := make([]float64, 0, 2*len(pts))
		for _, p := range pts {
			if !math.IsNaN(p.Y) && p.X <= sc.X1 {
				xy = append(xy, sc.X(p.X), sc.Y(p.Y))
			}
		}
		ctx.StrokeStyle(colour)
		ctx.FillStyle(colour)
		ctx.LineWidth(width * dpr)
		if dash {
			ctx.SetLineDash(4*dpr, 3*dpr)
		}
		ctx.Polyline(xy)
		ctx.SetLineDash()
		if dots {
			for i := 0; i+1 < len(xy); i += 2 {
				ctx.BeginPath()
				ctx.Arc(xy[i], xy[i+1], 3*dpr)
				ctx.Fill()
			}
		}
	}
	pre := dom.CSSVar("--chart-pre")
	line(a.curves.PretrainTrain, pre, 1.5, true, false)
	line(a.curves.PretrainVal, pre, 1.5, false, false)
	line(a.curves.Batch, dom.CSSVar("--chart-batch"), 1, false, false)
	line(a.curves.Train, fg, 1.5, false, true)
	line(a.curves.Val, dom.CSSVar("--chart-val"), 2, false, true)
}
