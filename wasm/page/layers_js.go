//go:build js && wasm

package page

import (
	"fmt"
	"image"
	"strconv"

	"aeplay/nn/catalog"
	"aeplay/nn/spec"
	"aeplay/wasm/dom"
	"aeplay/wasm/protocol"
)

// layersView is the Every layer panel: one test digit through the model on
// show, each layer's output drawn in order with its name, shape and what
// it does, the code marked (ConvNetJS and Keras.js show a network so).
type layersView struct {
	rq          requester
	entry       func() catalog.Entry
	digit, goBt dom.Element
	out, hint   dom.Element
}

func newLayersView(rq requester, entry func() catalog.Entry) *layersView {
	v := &layersView{rq: rq, entry: entry, digit: dom.ByID("layers-digit"), goBt: dom.ByID("layers-go"),
		out: dom.ByID("layers-out"), hint: dom.ByID("layers-hint")}
	v.goBt.On("click", func(dom.Event) { v.request() })
	return v
}

func (v *layersView) request() {
	i, err := strconv.Atoi(v.digit.Value())
	if err != nil || i < 0 {
		v.hint.SetText("Give the number of a test digit, from 0.")
		return
	}
	v.ask(protocol.LayersRequest{Index: i})
}

// drawn shows the layers of a drawn digit (the Draw panel's, as the model
// sees it).
func (v *layersView) drawn(px []float32) { v.ask(protocol.LayersRequest{Pixels: px}) }

func (v *layersView) ask(r protocol.LayersRequest) {
	ask(v.rq, r.Fields(), v.goBt, "Running the digit…", "Show the layers",
		protocol.DecodeLayers, v.render, func(e protocol.Error) { v.hint.SetText("Could not show the layers: " + e.Message + ".") })
}

// clear empties the panel when another model is on show.
func (v *layersView) clear() { v.out.Clear() }

func (v *layersView) render(m protocol.Layers) {
	e := v.entry()
	v.out.Clear()
	item := func(title, line string, pic dom.Element, code bool) {
		li := dom.Create("li")
		li.SetClass("code", code)
		h := dom.Create("p")
		h.SetClass("layer-title", true)
		h.SetText(title)
		d := dom.Create("p")
		d.SetClass("small", true)
		d.SetText(line)
		li.Append(h, d, pic)
		v.out.Append(li)
	}
	what := fmt.Sprintf("test digit #%d", m.Index)
	if m.Index < 0 {
		what = "your drawing"
	}
	item("input · 28×28 · "+what, "the digit, as the model sees it", v.canvas(LayerPicture(m.Input, []int{784})), false)
	off := 0
	for i, name := range m.Names {
		shape := m.Shapes[i]
		n := 1
		for _, d := range shape {
			n *= d
		}
		vals := m.Values[off : off+n]
		off += n
		line := m.Specs[i]
		kind := ""
		if i < len(e.Spec.Layers) {
			line = LayerLine(e.Spec.Layers[i])
			kind = e.Spec.Layers[i].Title()
		}
		title := fmt.Sprintf("%d · %s (%s) · %s", i+1, name, kind, spec.ShapeText(shape))
		if i == m.Code {
			title += " · the code"
		}
		item(title, line, v.canvas(LayerPicture(vals, shape)), i == m.Code)
	}
	v.hint.SetText(fmt.Sprintf("%s through %s, layer by layer: a tile per channel of each feature map, flat outputs as a block of values (yellow is large), the code marked.", capitalize(what), e.Called()))
	dom.Body().V.Get("dataset").Set("layersShown", strconv.Itoa(len(m.Names)))
}

// canvas is a new canvas holding the picture, pixel for pixel (CSS keeps
// the pixels square and sharp).
func (v *layersView) canvas(img *image.RGBA) dom.Element {
	el := dom.Create("canvas")
	el.SetClass("layer-pic", true)
	b := img.Bounds()
	c := dom.AsCanvas(el)
	c.V.Set("width", b.Dx())
	c.V.Set("height", b.Dy())
	c.PutImage(img, 0, 0)
	return el
}
