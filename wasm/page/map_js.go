//go:build js && wasm

package page

import (
	"fmt"
	"math"
	"strconv"
	"syscall/js"

	"aeplay/internal/numfmt"
	"aeplay/nn/catalog"
	"aeplay/wasm/dom"
	"aeplay/wasm/protocol"
)

// mapView is the latent map: every test digit's code as a point (a PCA of
// the codes, or a 2-D code itself), a hovered digit and its
// reconstruction, the decoding of any point dragged over, and two clicked
// digits to interpolate between.
type mapView struct {
	rq       requester
	sess     func() session
	between  func(a, b int) // interpolate two test digits
	canvas   dom.Canvas
	over     dom.Canvas
	drawBtn  dom.Element
	planeBtn dom.Element
	hint     dom.Element
	info     dom.Element
	peekOrig dom.Element
	peekRec  dom.Element
	peekLbl  dom.Element
	pointImg dom.Element
	pointLbl dom.Element

	latent  *protocol.Latent
	scatter *Scatter
	model   string // the model the map was drawn for
	dpr     float64

	peekBusy, pointBusy bool
	pendingPoint        *[2]float64
	pointSent           float64
	decodeTimes         []float64 // pointer to drawn digit, ms
	dragging            bool
	downX, downY        float64
	ends                [2]int // interpolation endpoints picked on the map
	picked              int
	tsne                tsneState
}

func newMapView(rq requester, sess func() session, switchModel func(string), between func(a, b int)) *mapView {
	v := &mapView{rq: rq, sess: sess, between: between, canvas: dom.AsCanvas(dom.ByID("map")), over: dom.AsCanvas(dom.ByID("map-overlay")),
		drawBtn: dom.ByID("map-draw"), planeBtn: dom.ByID("map-2d"), hint: dom.ByID("map-hint"), info: dom.ByID("map-info"),
		peekOrig: dom.ByID("peek-orig"), peekRec: dom.ByID("peek-recon"), peekLbl: dom.ByID("peek-label"),
		pointImg: dom.ByID("point-img"), pointLbl: dom.ByID("point-label"), ends: [2]int{-1, -1}}
	v.hint.SetText("Every test digit's code, flattened to two dimensions (a PCA of the codes). " + mapHowTo())
	v.drawBtn.On("click", func(dom.Event) { v.requestMap() })
	v.tsne.init(v)
	v.planeBtn.On("click", func(dom.Event) {
		switchModel(catalog.Plane().Name)
		v.drawBtn.SetHidden(false)
	})
	ov := v.over
	ov.On("pointermove", func(e dom.Event) { v.move(e) })
	ov.On("pointerdown", func(e dom.Event) {
		ov.V.Call("setPointerCapture", e.V.Get("pointerId"))
		v.dragging = true
		v.downX, v.downY = e.Num("offsetX"), e.Num("offsetY")
		v.decodeAt(v.downX, v.downY)
	})
	ov.On("pointerup", func(e dom.Event) {
		v.dragging = false
		x, y := e.Num("offsetX"), e.Num("offsetY")
		if math.Hypot(x-v.downX, y-v.downY) < 3 {
			if e.V.Get("pointerType").String() != "mouse" { // no hover on touch: a tap shows what hovering would
				v.peekAt(x, y, tapRadius)
			}
			v.pick(x, y)
		}
	})
	l := dom.ByID("map-legend")
	l.Clear()
	for d, c := range LabelColors {
		s := dom.Create("span")
		s.SetText(strconv.Itoa(d))
		s.SetStyle("--c", fmt.Sprintf("rgb(%d,%d,%d)", c.R, c.G, c.B))
		l.Append(s)
	}
	return v
}

// modelChanged forgets what was drawn for another model.
func (v *mapView) modelChanged(r protocol.Ready) {
	if v.model != "" && v.model != r.Model {
		v.latent, v.scatter, v.model = nil, nil, ""
		v.canvas.Clear()
		v.over.Clear()
		v.drawBtn.SetHidden(false)
		v.info.SetText("")
		for _, el := range []dom.Element{v.peekOrig, v.peekRec, v.pointImg} {
			dom.AsCanvas(el).Clear()
		}
		v.peekLbl.SetText("Hovered digit")
		v.pointLbl.SetText("Decoded point")
		v.ends, v.picked = [2]int{-1, -1}, 0
		v.tsne.reset(v)
	}
	v.planeBtn.SetHidden(r.Code == 2)
}

func (v *mapView) requestMap() {
	ask(v.rq, protocol.Control{Type: protocol.TLatent}.Fields(), v.drawBtn, "Encoding the test digits…", "Draw the map",
		protocol.DecodeLatent, v.onLatent, func(e protocol.Error) { v.info.SetText("Could not draw the map: " + e.Message + ".") })
}

// onLatent draws the map: every point rasterised in Go into one image, put
// at once. From Go, 10,000 arc() and fill() calls would cost 40,000 crossings
// into JavaScript; the image costs one (make bench prints both times), and
// Scatter is tested natively.
func (v *mapView) onLatent(l protocol.Latent) {
	v.latent, v.model, v.scatter = &l, v.sess().ready.Model, nil
	v.tsne.pca = &l
	v.render()
}

// opened draws a map that arrived while its panel was hidden.
func (v *mapView) opened() {
	if v.latent != nil && v.scatter == nil {
		v.render()
	}
}

// render draws the map on show into its canvas, unless the canvas has no
// size yet (its panel is hidden: the reader moved on while the codes were
// computed); opened draws it then.
func (v *mapView) render() {
	start := dom.Now()
	l := *v.latent
	w, h, dpr := v.canvas.Fit(0)
	if w == 0 || h == 0 {
		return
	}
	v.over.Fit(0)
	v.dpr = dpr
	v.scatter = NewScatter(l.Points, l.Labels, l.N, w, h)
	v.canvas.PutImage(v.scatter.Render(int(math.Round(1.6*dpr))), 0, 0)
	ms := dom.Now() - start
	dom.Body().V.Get("dataset").Set("mapDrawMs", strconv.Itoa(int(math.Ceil(ms))))
	dom.Body().V.Get("dataset").Set("mapPoints", strconv.Itoa(l.N))
	v.drawBtn.SetHidden(true)
	if l.Projection == protocol.ProjectionTSNE {
		return // its words are the run's (tsneState)
	}
	hint := "Every test digit's code, flattened to two dimensions (a PCA of the codes)."
	if l.Projection == "code" {
		hint = "Every test digit's code: two numbers, drawn as they are."
	}
	v.hint.SetText(hint + " " + mapHowTo())
	info := fmt.Sprintf("%s test digits. ", numfmt.Thousands(l.N))
	if l.Projection == "code" {
		info += "The axes are the code's two values themselves."
	} else {
		info += fmt.Sprintf("The axes are the first two principal components of the %d-value codes, keeping %.0f%% of their variance.", l.CodeSize, 100*l.Explained)
	}
	v.info.SetText(info)
}

// How near a point the pointer must be to show it, in CSS pixels: a
// fingertip is less precise than a mouse.
const (
	hoverRadius = 6
	tapRadius   = 14
)

func (v *mapView) move(e dom.Event) {
	if v.scatter == nil {
		return
	}
	if v.dragging {
		v.decodeAt(e.Num("offsetX"), e.Num("offsetY"))
		return
	}
	if e.V.Get("pointerType").String() != "touch" { // a finger only moves to drag
		v.peekAt(e.Num("offsetX"), e.Num("offsetY"), hoverRadius)
	}
}

// peekAt shows the test digit nearest (cssX, cssY), within radius CSS
// pixels, and its reconstruction.
func (v *mapView) peekAt(cssX, cssY, radius float64) {
	if v.scatter == nil {
		return
	}
	px, py := cssX*v.dpr, cssY*v.dpr
	i := v.scatter.Nearest(px, py, radius*v.dpr)
	if i < 0 || v.peekBusy {
		return
	}
	v.peekBusy = true
	v.peekLbl.SetText(fmt.Sprintf("Hovered: %s (test digit #%d), and its reconstruction", digitName(v.latent.Labels[i]), i))
	v.rq.request(protocol.Peek{Index: i}.Fields(), reply{
		ok: func(m protocol.Object) {
			v.peekBusy = false
			if g, err := protocol.DecodeGrid(m); err == nil && g.N == 1 {
				drawDigit(v.peekOrig, g.Originals[:784])
				drawDigit(v.peekRec, g.Recon[:784])
				dom.Body().V.Get("dataset").Set("peeked", "1")
			}
		},
		failed: func(e protocol.Error) {
			v.peekBusy = false
			v.peekLbl.SetText("Could not show that digit: " + e.Message)
		},
	})
	v.overlay(px, py)
}

// decodeAt asks for the decoding of the map point under (cssX, cssY); one
// request at a time, the latest position kept for when it returns.
func (v *mapView) decodeAt(cssX, cssY float64) {
	if v.scatter == nil || v.latent.Projection == protocol.ProjectionTSNE {
		return // t-SNE's plane has no way back to codes
	}
	dx, dy := v.scatter.PixelToData(cssX*v.dpr, cssY*v.dpr)
	v.overlay(cssX*v.dpr, cssY*v.dpr)
	v.pointLbl.SetText(fmt.Sprintf("Decoded at (%.2f, %.2f)", dx, dy))
	if v.pointBusy {
		v.pendingPoint = &[2]float64{dx, dy}
		return
	}
	v.sendPoint(dx, dy)
}

func (v *mapView) sendPoint(x, y float64) {
	v.pointBusy = true
	v.pointSent = dom.Now()
	next := func() {
		v.pointBusy = false
		if p := v.pendingPoint; p != nil {
			v.pendingPoint = nil
			v.sendPoint(p[0], p[1])
		}
	}
	v.rq.request(protocol.DecodePoint{X: x, Y: y}.Fields(), reply{
		ok: func(m protocol.Object) {
			if d, err := protocol.DecodeDecoded(m); err == nil && d.N == 1 {
				drawDigit(v.pointImg, d.Images[:784])
				v.decodeTimes = append(v.decodeTimes, dom.Now()-v.pointSent)
				ds := dom.Body().V.Get("dataset")
				ds.Set("decodedPoints", len(v.decodeTimes))
				ds.Set("decodeMedianMs", strconv.FormatFloat(median(v.decodeTimes), 'f', 1, 64))
			}
			next()
		},
		failed: func(e protocol.Error) {
			v.pointLbl.SetText("Could not decode that point: " + e.Message)
			next()
		},
	})
}

// pick sets an interpolation end to the digit under a click.
func (v *mapView) pick(cssX, cssY float64) {
	if v.scatter == nil {
		return
	}
	i := v.scatter.Nearest(cssX*v.dpr, cssY*v.dpr, hoverRadius*v.dpr)
	if i < 0 {
		return
	}
	v.ends[v.picked%2] = i
	v.picked++
	v.overlay(-1, -1)
	if v.ends[1] >= 0 {
		v.between(v.ends[0], v.ends[1])
	}
}

// overlay marks the picked digits and, at (px, py) unless negative, the
// pointer.
func (v *mapView) overlay(px, py float64) {
	c := v.over
	c.Clear()
	ctx := c.Context2D()
	ctx.StrokeStyle(dom.CSSVar("--fg"))
	ctx.LineWidth(1.5 * v.dpr)
	for _, i := range v.ends {
		if i >= 0 && v.scatter != nil && i < v.scatter.N {
			ex, ey := v.scatter.ToPixel(i)
			ctx.BeginPath()
			ctx.Arc(ex, ey, 6*v.dpr)
			ctx.Stroke()
		}
	}
	if px >= 0 {
		ctx.Polyline([]float64{px - 8*v.dpr, py, px + 8*v.dpr, py})
		ctx.Polyline([]float64{px, py - 8*v.dpr, px, py + 8*v.dpr})
	}
}

// mapHowTo says how to use the map with the pointer the reader has.
func mapHowTo() string {
	if js.Global().Call("matchMedia", "(hover: none)").Get("matches").Bool() {
		return "Tap a point to see its digit; press and drag anywhere to decode that spot; tap two digits to interpolate between them."
	}
	return "Hover a point to see its digit; press and drag anywhere to decode that spot; click two digits to interpolate between them."
}
