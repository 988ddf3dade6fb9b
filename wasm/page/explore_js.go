//go:build js && wasm

package page

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"syscall/js"

	"aeplay/internal/numfmt"
	"aeplay/nn/viz"
	"aeplay/wasm/dom"
	"aeplay/wasm/jsutil"
	"aeplay/wasm/protocol"
)

// explorer is the Explore section: the latent map, interpolation, drawing,
// the comparison and the reader's own data. It asks the leader worker and
// draws what comes back; nothing here runs a network.
type explorer struct {
	a       *app
	panel   string
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

	ink, noise []float32 // the drawing pad's layers, 280×280
	lastDraw   float64
	brushNoise bool
	drawing    bool
	rng        *rand.Rand
}

const padSide = 280

func newExplorer(a *app) *explorer {
	x := &explorer{a: a, panel: "map", ink: make([]float32, padSide*padSide), noise: make([]float32, padSide*padSide),
		rng: rand.New(rand.NewPCG(1, 2)), ends: [2]int{-1, -1}}
	x.bind()
	return x
}

func (x *explorer) bind() {
	bindTabs(dom.ByID("explore").QueryAll(".explore-tabs [role=tab]"), func(tab dom.Element) { x.show(tab.Attr("data-panel")) })
	dom.ByID("map-draw").On("click", func(dom.Event) { x.requestMap() })
	dom.ByID("map-2d").On("click", func(dom.Event) {
		x.a.switchModel("latent2d")
		dom.ByID("map-draw").SetHidden(false)
	})
	ov := dom.ByID("map-overlay")
	ov.On("pointermove", func(e dom.Event) { x.mapMove(e) })
	ov.On("pointerdown", func(e dom.Event) {
		ov.V.Call("setPointerCapture", e.V.Get("pointerId"))
		x.dragging = true
		x.downX, x.downY = e.Num("offsetX"), e.Num("offsetY")
		x.decodeAt(x.downX, x.downY)
	})
	ov.On("pointerup", func(e dom.Event) {
		x.dragging = false
		if math.Hypot(e.Num("offsetX")-x.downX, e.Num("offsetY")-x.downY) < 3 {
			x.pick(e.Num("offsetX"), e.Num("offsetY"))
		}
	})
	dom.ByID("interp-go").On("click", func(dom.Event) { x.interpolate() })
	dom.ByID("interp-random").On("click", func(dom.Event) {
		n := max(x.a.ready.TestDigits, 2)
		dom.ByID("interp-a").SetValue(strconv.Itoa(x.rng.IntN(n)))
		dom.ByID("interp-b").SetValue(strconv.Itoa(x.rng.IntN(n)))
		x.interpolate()
	})
	pad := dom.ByID("pad")
	pad.On("pointerdown", func(e dom.Event) {
		pad.V.Call("setPointerCapture", e.V.Get("pointerId"))
		x.drawing = true
		x.stroke(e)
	})
	pad.On("pointermove", func(e dom.Event) {
		if x.drawing {
			x.stroke(e)
		}
	})
	pad.On("pointerup", func(dom.Event) {
		x.drawing = false
		x.encodeDrawing()
	})
	dom.ByID("brush-ink").On("change", func(dom.Event) { x.brushNoise = false })
	dom.ByID("brush-noise").On("change", func(dom.Event) { x.brushNoise = true })
	dom.ByID("pad-clear").On("click", func(dom.Event) {
		clear(x.ink)
		clear(x.noise)
		dom.AsCanvas(pad).Clear()
		x.encodeDrawing()
	})
	dom.ByID("compare-go").On("click", func(dom.Event) {
		x.a.post(protocol.GridRequest{Indices: x.a.indices}.Fields().With("type", protocol.TCompare))
		dom.ByID("compare-go").SetText("Loading every model…")
	})
	drop := dom.ByID("drop")
	drop.On("dragover", func(e dom.Event) { e.PreventDefault(); drop.SetClass("over", true) })
	drop.On("dragleave", func(dom.Event) { drop.SetClass("over", false) })
	drop.On("drop", func(e dom.Event) {
		e.PreventDefault()
		drop.SetClass("over", false)
		x.loadData(e.V.Get("dataTransfer").Get("files"))
	})
	files := dom.ByID("data-files")
	files.On("change", func(dom.Event) { x.loadData(files.Prop("files")) })
	x.legend()
}

func (x *explorer) show(panel string) {
	x.panel = panel
	markSelected(dom.ByID("explore").QueryAll(".explore-tabs [role=tab]"), "data-panel", panel)
	for _, p := range []string{"map", "interp", "draw", "compare", "data"} {
		dom.ByID("panel-" + p).SetHidden(p != panel)
	}
}

func (x *explorer) legend() {
	l := dom.ByID("map-legend")
	l.Clear()
	for d, c := range LabelColors {
		s := dom.Create("span")
		s.SetText(strconv.Itoa(d))
		s.SetAttr("style", fmt.Sprintf("--c: rgb(%d,%d,%d)", c.R, c.G, c.B))
		l.Append(s)
	}
}

// modelChanged forgets what was drawn for the last model.
func (x *explorer) modelChanged() {
	if x.model != "" && x.model != x.a.ready.Model {
		x.latent, x.scatter = nil, nil
		dom.AsCanvas(dom.ByID("map")).Clear()
		dom.AsCanvas(dom.ByID("map-overlay")).Clear()
		dom.ByID("map-draw").SetHidden(false)
		dom.ByID("map-info").SetText("")
		for _, id := range []string{"peek-orig", "peek-recon", "point-img"} {
			dom.AsCanvas(dom.ByID(id)).Clear()
		}
		dom.ByID("peek-label").SetText("Hovered digit")
		dom.ByID("point-label").SetText("Decoded point")
		x.ends, x.picked = [2]int{-1, -1}, 0
	}
	dom.ByID("map-2d").SetHidden(x.a.ready.Model == "latent2d")
}

func (x *explorer) requestMap() {
	dom.ByID("map-draw").SetText("Encoding the test digits…")
	x.a.post(protocol.Fields{"type": protocol.TLatent})
}

// onLatent draws the map: every point rasterised in Go into one image, put
// at once. From Go, 10,000 arc() and fill() calls would cost 40,000 crossings
// into JavaScript; the image costs one, is as fast as JavaScript's own
// canvas calls (make bench prints both), and Scatter is tested natively.
func (x *explorer) onLatent(l protocol.Latent) {
	start := dom.Now()
	x.latent, x.model = &l, x.a.ready.Model
	c := dom.AsCanvas(dom.ByID("map"))
	w, h, dpr := c.Fit(0)
	dom.AsCanvas(dom.ByID("map-overlay")).Fit(0)
	x.dpr = dpr
	x.scatter = NewScatter(l.Points, l.Labels, l.N, w, h)
	c.PutImage(x.scatter.Render(int(math.Round(1.6*dpr))), 0, 0)
	ms := dom.Now() - start
	dom.Body().V.Get("dataset").Set("mapDrawMs", strconv.Itoa(int(math.Ceil(ms))))
	dom.Body().V.Get("dataset").Set("mapPoints", strconv.Itoa(l.N))
	b := dom.ByID("map-draw")
	b.SetHidden(true)
	b.SetText("Draw the map")
	hint := "Every test digit's code, flattened to two dimensions (a PCA of the codes)."
	if l.Projection == "code" {
		hint = "Every test digit's code: two numbers, drawn as they are."
	}
	dom.ByID("map-hint").SetText(hint + " Hover a point to see its digit; press and drag anywhere to decode that spot; click two digits to interpolate between them.")
	info := fmt.Sprintf("%s test digits. ", numfmt.Thousands(l.N))
	if l.Projection == "code" {
		info += "The axes are the code's two values themselves."
	} else {
		info += fmt.Sprintf("The axes are the first two principal components of the %d-value codes, keeping %.0f%% of their variance.", l.CodeSize, 100*l.Explained)
	}
	dom.ByID("map-info").SetText(info)
}

func (x *explorer) mapMove(e dom.Event) {
	if x.scatter == nil {
		return
	}
	px, py := e.Num("offsetX")*x.dpr, e.Num("offsetY")*x.dpr
	if x.dragging {
		x.decodeAt(e.Num("offsetX"), e.Num("offsetY"))
		return
	}
	i := x.scatter.Nearest(px, py, 6*x.dpr)
	if i < 0 || x.peekBusy {
		return
	}
	x.peekBusy = true
	dom.ByID("peek-label").SetText(fmt.Sprintf("Hovered: a %d (test digit #%d), and its reconstruction", x.latent.Labels[i], i))
	x.a.post(protocol.Fields{"type": protocol.TPeek, "index": i})
	x.overlay(-1, px, py)
}

// decodeAt asks for the decoding of the map point under (cssX, cssY); one
// request at a time, the latest position kept for when it returns.
func (x *explorer) decodeAt(cssX, cssY float64) {
	if x.scatter == nil {
		return
	}
	dx, dy := x.scatter.PixelToData(cssX*x.dpr, cssY*x.dpr)
	if x.pointBusy {
		x.pendingPoint = &[2]float64{dx, dy}
		return
	}
	x.pointBusy = true
	x.pointSent = dom.Now()
	x.a.post(protocol.Fields{"type": protocol.TDecodePoint, "x": dx, "y": dy})
	x.overlay(-1, cssX*x.dpr, cssY*x.dpr)
	dom.ByID("point-label").SetText(fmt.Sprintf("Decoded at (%.2f, %.2f)", dx, dy))
}

// pick sets an interpolation end to the digit under a click.
func (x *explorer) pick(cssX, cssY float64) {
	if x.scatter == nil {
		return
	}
	i := x.scatter.Nearest(cssX*x.dpr, cssY*x.dpr, 6*x.dpr)
	if i < 0 {
		return
	}
	x.ends[x.picked%2] = i
	x.picked++
	dom.ByID("interp-a").SetValue(strconv.Itoa(max(x.ends[0], 0)))
	if x.ends[1] >= 0 {
		dom.ByID("interp-b").SetValue(strconv.Itoa(x.ends[1]))
		x.a.status(fmt.Sprintf("Interpolating between test digits #%d and #%d: see the Interpolate tab.", x.ends[0], x.ends[1]))
		x.interpolate()
	}
}

// overlay marks the picked digits and the pointer on the overlay canvas.
func (x *explorer) overlay(_ int, px, py float64) {
	c := dom.AsCanvas(dom.ByID("map-overlay"))
	c.Clear()
	ctx := c.Context2D()
	ctx.StrokeStyle(dom.CSSVar("--fg"))
	ctx.LineWidth(1.5 * x.dpr)
	for _, i := range x.ends {
		if i >= 0 && x.scatter != nil && i < x.scatter.N {
			ex, ey := x.scatter.ToPixel(i)
			ctx.BeginPath()
			ctx.Arc(ex, ey, 6*x.dpr)
			ctx.Stroke()
		}
	}
	if px >= 0 {
		ctx.Polyline([]float64{px - 8*x.dpr, py, px + 8*x.dpr, py})
		ctx.Polyline([]float64{px, py - 8*x.dpr, px, py + 8*x.dpr})
	}
}

func (x *explorer) onPeek(g protocol.Grid) {
	x.peekBusy = false
	drawDigit(dom.ByID("peek-orig"), g.Originals[:784])
	drawDigit(dom.ByID("peek-recon"), g.Recon[:784])
	dom.Body().V.Get("dataset").Set("peeked", "1")
}

func (x *explorer) onDecoded(d protocol.Decoded) {
	switch d.Tag {
	case "point":
		drawDigit(dom.ByID("point-img"), d.Images[:784])
		x.decodeTimes = append(x.decodeTimes, dom.Now()-x.pointSent)
		ds := dom.Body().V.Get("dataset")
		ds.Set("decodedPoints", len(x.decodeTimes))
		ds.Set("decodeMedianMs", strconv.FormatFloat(median(x.decodeTimes), 'f', 1, 64))
		x.pointBusy = false
		if p := x.pendingPoint; p != nil {
			x.pendingPoint = nil
			x.pointBusy = true
			x.pointSent = dom.Now()
			x.a.post(protocol.Fields{"type": protocol.TDecodePoint, "x": p[0], "y": p[1]})
		}
	case "interpolate":
		drawStrip(dom.ByID("interp"), d.Images, d.N)
		dom.Body().V.Get("dataset").Set("interpolated", strconv.Itoa(d.N))
	}
}

func (x *explorer) interpolate() {
	a, err1 := strconv.Atoi(dom.ByID("interp-a").Value())
	b, err2 := strconv.Atoi(dom.ByID("interp-b").Value())
	if err1 != nil || err2 != nil {
		x.a.showError("Interpolation needs two test digit numbers.", false)
		return
	}
	x.a.post(protocol.Fields{"type": protocol.TInterpolate, "a": a, "b": b, "steps": 8})
}

// stroke paints the pointer's position into the ink or noise layer and on
// the pad.
func (x *explorer) stroke(e dom.Event) {
	c := dom.AsCanvas(dom.ByID("pad"))
	// The pad's CSS box may be scaled; map to its 280×280 pixels.
	rect := c.V.Call("getBoundingClientRect")
	px := e.Num("offsetX") * padSide / rect.Get("width").Float()
	py := e.Num("offsetY") * padSide / rect.Get("height").Float()
	ctx := c.Context2D()
	const r = 11
	for y := int(py) - r; y <= int(py)+r; y++ {
		for xx := int(px) - r; xx <= int(px)+r; xx++ {
			if y < 0 || xx < 0 || y >= padSide || xx >= padSide {
				continue
			}
			d := math.Hypot(float64(xx)-px, float64(y)-py)
			if d > r {
				continue
			}
			i := y*padSide + xx
			if x.brushNoise {
				if x.rng.Float64() < 0.08 {
					x.noise[i] = float32(x.rng.Float64())
				}
			} else {
				x.ink[i] = max(x.ink[i], float32(min(1, (r-d)/2)))
			}
		}
	}
	if x.brushNoise {
		ctx.FillStyle("rgba(200,200,200,0.35)")
	} else {
		ctx.FillStyle("#fff")
	}
	ctx.BeginPath()
	ctx.Arc(px, py, r)
	ctx.Fill()
	if now := dom.Now(); now-x.lastDraw > 120 {
		x.lastDraw = now
		x.encodeDrawing()
	}
}

func (x *explorer) encodeDrawing() {
	digit := Preprocess(x.ink, padSide, padSide)
	AddNoisePixels(digit, x.noise, padSide, padSide)
	drawDigit(dom.ByID("draw-in"), digit)
	x.a.post(protocol.Fields{"type": protocol.TEncode, "pixels": digit})
}

func (x *explorer) onEncoded(m protocol.Encoded) {
	drawDigit(dom.ByID("draw-recon"), m.Recon)
	drawDigit(dom.ByID("draw-denoised"), m.Denoised)
	c := dom.AsCanvas(dom.ByID("draw-code"))
	if len(m.Code) == 0 {
		c.Clear()
		return
	}
	rows, cols := viz.CodeLayout(len(m.Code))
	lo, hi := viz.Range(m.Code)
	img := viz.Code(m.Code, rows, cols, max(1, 28/rows), lo, hi)
	c.SetBackingSize(img.Bounds().Dx(), img.Bounds().Dy(), 1)
	c.V.Get("style").Set("width", "")
	c.V.Get("style").Set("height", "")
	c.PutImage(img, 0, 0)
	dom.Body().V.Get("dataset").Set("encoded", "1")
}

func (x *explorer) onCompare(m protocol.Compare) {
	dom.ByID("compare-go").SetText("Compare again")
	t := dom.ByID("compare-table")
	t.Clear()
	head := dom.Create("tr")
	for _, h := range []string{"model", "params", "code", "compression", "val BCE", "val MSE", "training", "note"} {
		th := dom.Create("th")
		th.SetText(h)
		head.Append(th)
	}
	t.Append(head)
	for _, r := range m.Rows {
		tr := dom.Create("tr")
		tr.SetAttr("data-model", r.Name)
		cells := []string{r.Name, numfmt.Thousands(r.Params), strconv.Itoa(r.Code), compression(r.Code), numfmt.Loss(r.ValBCE), numfmt.Loss(r.ValMSE), trainTime(r.TrainSec), r.Note}
		for i, v := range cells {
			td := dom.Create("td")
			td.SetText(v)
			if i > 0 && i < 7 {
				td.SetClass("num", true)
			}
			tr.Append(td)
		}
		t.Append(tr)
	}
	g := dom.ByID("compare-grid")
	g.Clear()
	row := func(label string, px []float32) {
		l := dom.Create("div")
		l.SetClass("row-label", true)
		l.SetText(label)
		c := dom.Create("canvas")
		g.Append(l, c)
		drawStrip(c, px, m.N)
	}
	row("original", m.Originals)
	for i, r := range m.Rows {
		row(r.Name, m.Recons[i*m.N*784:(i+1)*m.N*784])
	}
	dom.Body().V.Get("dataset").Set("compared", strconv.Itoa(len(m.Rows)))
}

func compression(code int) string {
	if code <= 0 {
		return "–"
	}
	return strconv.FormatFloat(784/float64(code), 'f', 1, 64)
}

func trainTime(sec float64) string {
	if math.IsNaN(sec) || sec <= 0 {
		return "–"
	}
	return numfmt.Duration(sec)
}

// loadData reads the dropped or chosen IDX files (the larger one is the
// images) and hands them to the worker.
func (x *explorer) loadData(files js.Value) {
	n := files.Length()
	if n == 0 || n > 2 {
		x.a.showError("Choose an IDX image file, and optionally its labels file: one or two files.", false)
		return
	}
	list := make([]js.Value, n)
	for i := range list {
		list[i] = files.Index(i)
	}
	go func() {
		var bufs [][]byte
		var names []string
		for _, f := range list {
			if f.Get("size").Float() > 256<<20 {
				x.a.showError(f.Get("name").String()+" is over 256 MB; that is more than a browser tab should hold.", false)
				return
			}
			buf, err := jsutil.Await(f.Call("arrayBuffer"))
			if err != nil {
				x.a.showError("Could not read "+f.Get("name").String()+": "+err.Error(), false)
				return
			}
			b := make([]byte, buf.Get("byteLength").Int())
			js.CopyBytesToGo(b, js.Global().Get("Uint8Array").New(buf))
			bufs, names = append(bufs, b), append(names, f.Get("name").String())
		}
		images, labels, name := bufs[0], []byte(nil), names[0]
		if len(bufs) == 2 {
			if len(bufs[1]) > len(bufs[0]) {
				bufs[0], bufs[1], names[0] = bufs[1], bufs[0], names[1]
			}
			images, labels, name = bufs[0], bufs[1], names[0]
		}
		dom.ByID("data-info").SetText("Reading " + name + "…")
		x.a.post(protocol.Fields{"type": protocol.TData, "name": name, "images": images, "labels": labels})
	}()
}

// onData reports the reader's data set, once the worker took it.
func (x *explorer) onData(r protocol.Ready) {
	if r.Data == "" {
		return
	}
	dom.ByID("data-info").SetText(fmt.Sprintf("Using %s: its last %s images are the test set, the rest the training set. Press Train to fit the %s model to them; the map, interpolation and drawing use them too.",
		r.Data, numfmt.Thousands(r.TestDigits), r.Model))
	dom.Body().V.Get("dataset").Set("data", r.Data)
}

// drawDigit draws one 28×28 image into a small canvas, nearest neighbour.
func drawDigit(el dom.Element, px []float32) {
	c := dom.AsCanvas(el)
	if w, _ := c.Size(); w != 28 {
		c.V.Set("width", 28)
		c.V.Set("height", 28)
	}
	c.PutImage(viz.Digit(px, 28, 28, 1), 0, 0)
}

// drawStrip draws n 28×28 images side by side, 2 px apart.
func drawStrip(el dom.Element, px []float32, n int) {
	c := dom.AsCanvas(el)
	c.V.Set("width", n*30-2)
	c.V.Set("height", 28)
	for i := 0; i < n; i++ {
		c.PutImage(viz.Digit(px[i*784:(i+1)*784], 28, 28, 1), i*30, 0)
	}
}

func median(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	return s[len(s)/2]
}
