//go:build js && wasm

package page

import (
	"fmt"
	"math"
	"strconv"

	"aeplay/internal/numfmt"
	"aeplay/wasm/dom"
	"aeplay/wasm/protocol"
)

// progressView is the loss chart and the line of statistics under it (the
// progress bar, epoch and batch, samples/s, ETA): where a run shows itself.
type progressView struct {
	chart                dom.Canvas
	bar, epoch, sps, eta dom.Element
	curves               Curves
	drawing              bool // a frame is already asked for
}

func newProgressView() *progressView {
	return &progressView{chart: dom.AsCanvas(dom.ByID("chart")), bar: dom.ByID("progress"),
		epoch: dom.ByID("stat-epoch"), sps: dom.ByID("stat-sps"), eta: dom.ByID("stat-eta")}
}

// setCurves replaces what the chart shows.
func (v *progressView) setCurves(c Curves) {
	v.curves = c
	v.draw()
}

// clear empties the statistics and the bar.
func (v *progressView) clear() {
	v.bar.SetProp("value", 0)
	for _, el := range []dom.Element{v.epoch, v.sps, v.eta} {
		el.SetText("")
	}
}

func (v *progressView) download(d protocol.Download) {
	if d.Total > 0 {
		v.bar.SetProp("value", float64(d.Loaded)/float64(d.Total))
		v.epoch.SetText(fmt.Sprintf("Downloading the %s: %.1f of %.1f MB", d.What, float64(d.Loaded)/1e6, float64(d.Total)/1e6))
	} else {
		v.bar.RemoveAttr("value") // indeterminate
		v.epoch.SetText(fmt.Sprintf("Downloading the %s: %.1f MB", d.What, float64(d.Loaded)/1e6))
	}
	v.sps.SetText("")
	v.eta.SetText("")
}

func (v *progressView) progress(p protocol.Progress) {
	x := float64(p.Epoch-1) + float64(p.Batch)/float64(p.Batches)
	v.curves.AddBatch(Point{X: x, Y: p.BatchLoss})
	v.bar.SetProp("value", x/float64(p.Epochs))
	v.epoch.SetText(fmt.Sprintf("epoch %d/%d · batch %d/%d", p.Epoch, p.Epochs, p.Batch, p.Batches))
	v.sps.SetText(numfmt.Thousands(int(p.SamplesPerSec)) + " samples/s")
	switch {
	case p.Paused:
		v.paused()
	case p.Batch > 0 && p.SamplesPerSec > 0:
		batchSec := p.Elapsed / float64(p.Batch)
		left := (float64(p.Epochs)*float64(p.Batches) - (float64(p.Epoch-1)*float64(p.Batches) + float64(p.Batch))) * batchSec
		v.eta.SetText("ETA " + numfmt.Duration(left))
	}
	v.schedule()
}

// paused says so where the ETA was: no time passes for the run.
func (v *progressView) paused() { v.eta.SetText("paused") }

// epochDone adds an epoch's losses (epoch 0: the fresh model's val loss).
func (v *progressView) epochDone(e protocol.Epoch) {
	if e.Epoch > 0 {
		v.curves.Train = append(v.curves.Train, Point{X: float64(e.Epoch), Y: e.Loss})
	}
	if !math.IsNaN(e.ValLoss) {
		v.curves.Val = append(v.curves.Val, Point{X: float64(e.Epoch), Y: e.ValLoss})
	}
	v.schedule()
}

// finished fills the bar at a run's end.
func (v *progressView) finished() {
	v.bar.SetProp("value", 1)
	v.eta.SetText("")
}

// schedule redraws the chart at the next frame, once however often asked.
func (v *progressView) schedule() {
	if v.drawing {
		return
	}
	v.drawing = true
	dom.RequestFrame(func() {
		v.drawing = false
		v.draw()
	})
}

// drawChart draws the loss curves at device resolution.
func (v *progressView) draw() {
	c := v.chart
	w, h, dpr := c.Fit(0)
	if w == 0 || h == 0 {
		return
	}
	ctx := c.Context2D()
	ctx.ClearRect(0, 0, float64(w), float64(h))
	sc := v.curves.Layout(float64(w), float64(h), dpr)
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
	line(v.curves.PretrainTrain, pre, 1.5, true, false)
	line(v.curves.PretrainVal, pre, 1.5, false, false)
	line(v.curves.Batch, dom.CSSVar("--chart-batch"), 1, false, false)
	line(v.curves.Train, fg, 1.5, false, true)
	line(v.curves.Val, dom.CSSVar("--chart-val"), 2, false, true)
}
