//go:build js && wasm

package page

import (
	"slices"

	"aeplay/nn/catalog"
	"aeplay/nn/viz"
	"aeplay/wasm/dom"
	"aeplay/wasm/protocol"
)

// requester sends a request to the leading worker (the client).
type requester interface {
	request(f protocol.Fields, r reply) int
}

// session is what the explore views read of the page: the model on show
// and the digits of its grid.
type session struct {
	ready   protocol.Ready
	indices []int
}

// explorer is the Explore section: its tabs, and a view per panel (the
// latent map, interpolation, drawing, the comparison, the reader's own
// data). The views ask the leading worker and draw what comes back;
// nothing here runs a network.
type explorer struct {
	tabs    []dom.Element
	panels  map[string]dom.Element
	latent  *mapView
	interp  *interpView
	pad     *padView
	compare *compareView
	data    *dataView
	layers  *layersView
	gen     *generateView
}

// exploreIntents are what the explore views ask of the page.
type exploreIntents struct {
	switchModel func(model string) // the map's "use the 2-D model"
	ready       func(protocol.Ready)
	fail        func(msg string)
	entry       func() catalog.Entry // the model on show
}

func newExplorer(rq requester, sess func() session, do exploreIntents) *explorer {
	x := &explorer{tabs: dom.ByID("explore").QueryAll(".explore-tabs [role=tab]"), panels: map[string]dom.Element{}}
	for _, p := range []string{"map", "interp", "draw", "compare", "layers", "generate", "data"} {
		x.panels[p] = dom.ByID("panel-" + p)
	}
	bindTabs(x.tabs, func(tab dom.Element) { x.show(tab.Attr("data-panel")) })
	x.interp = newInterpView(rq, sess, do.fail)
	x.layers = newLayersView(rq, do.entry)
	x.gen = newGenerateView(rq, do.entry)
	// Two digits picked on the map are interpolated where the reader sees it.
	x.latent = newMapView(rq, sess, do.switchModel, func(a, b int) {
		x.show("interp")
		x.interp.between(a, b)
	})
	// The drawing's layers are shown where the reader sees them.
	x.pad = newPadView(rq, sess, func(px []float32) {
		x.show("layers")
		x.layers.drawn(px)
	})
	x.compare = newCompareView(rq, sess)
	x.data = newDataView(rq, do.ready, do.fail)
	return x
}

func (x *explorer) show(panel string) {
	markSelected(x.tabs, "data-panel", panel)
	for p, el := range x.panels {
		el.SetHidden(p != panel)
	}
	switch panel {
	case "interp":
		x.interp.opened()
	case "map":
		x.latent.opened()
	case "generate":
		x.gen.opened()
	}
}

// modelChanged tells the views a model (or its data) is on show.
func (x *explorer) modelChanged(r protocol.Ready) {
	x.latent.modelChanged(r)
	x.interp.shown = false
	x.layers.clear()
	x.data.onReady(r)
	if !x.gen.modelChanged() && !x.panels["generate"].Hidden() {
		x.show("map") // its tab is gone with the model that samples
	}
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

// decodeOr decodes a reply with dec, or reports the disagreement.
func decodeOr[T any](m protocol.Object, dec func(protocol.Object) (T, error), fail func(string)) (T, bool) {
	v, err := dec(m)
	if err != nil {
		fail("The page and its worker disagree about a message: " + err.Error())
		return v, false
	}
	return v, true
}

// ask sends a view's request while its button waits: the button reads
// waiting and is disabled until the answer, then reads idle; the decoded
// answer goes to show, a failure to fail (which says it beside the view).
func ask[T any](rq requester, f protocol.Fields, b dom.Element, waiting, idle string,
	decode func(protocol.Object) (T, error), show func(T), fail func(protocol.Error)) {
	b.SetText(waiting)
	b.SetProp("disabled", true)
	done := func() {
		b.SetText(idle)
		b.SetProp("disabled", false)
	}
	rq.request(f, reply{
		ok: func(m protocol.Object) {
			done()
			if v, err := decode(m); err == nil {
				show(v)
			}
		},
		failed: func(e protocol.Error) {
			done()
			fail(e)
		},
	})
}

// downloading shows the progress of the test set's download, which the
// latent map waits for, beside the map.
func (x *explorer) downloading(msg string) { x.latent.info.SetText(msg) }
