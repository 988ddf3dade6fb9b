//go:build js && wasm

package page

import (
	"math"
	"strconv"

	"aeplay/internal/numfmt"
	"aeplay/nn/catalog"
	"aeplay/wasm/dom"
	"aeplay/wasm/protocol"
)

// compareView is the Compare panel: the grid's digits through every model
// and through PCA with as many components as each code, in a table and in
// rows of digits.
type compareView struct {
	rq          requester
	sess        func() session
	goBt, hint  dom.Element
	table, grid dom.Element
	hist        histView
}

func newCompareView(rq requester, sess func() session) *compareView {
	v := &compareView{rq: rq, sess: sess, goBt: dom.ByID("compare-go"), hint: dom.ByID("compare-hint"), table: dom.ByID("compare-table"), grid: dom.ByID("compare-grid"), hist: newHistView()}
	v.goBt.On("click", func(dom.Event) { v.request() })
	return v
}

func (v *compareView) request() {
	ask(v.rq, protocol.CompareRequest{Indices: v.sess().indices}.Fields(), v.goBt, "Loading every model…", "Compare again",
		protocol.DecodeCompare, v.render, func(e protocol.Error) { v.hint.SetText("Could not compare: " + e.Message + ".") })
	v.hist.request(v.rq)
}

func (v *compareView) render(m protocol.Compare) {
	t := v.table
	t.Clear()
	head := dom.Create("tr")
	for _, h := range []string{"model", "params", "code", "compression", "val BCE", "val MSE", "mean code", "training time", "note"} {
		th := dom.Create("th")
		th.SetText(h)
		head.Append(th)
	}
	t.Append(head)
	for _, r := range m.Rows {
		tr := dom.Create("tr")
		tr.SetAttr("data-model", r.Name)
		name := r.Name // a catalogue model by its title, as its tab says
		if e, ok := catalog.Lookup(r.Name); ok {
			name = e.Title
		}
		cells := []string{name, numfmt.Thousands(r.Params), strconv.Itoa(r.Code), compression(r.Code), numfmt.Loss(r.ValBCE), numfmt.Loss(r.ValMSE), meanCode(r.MeanCode), trainTime(r.TrainSec), r.Note}
		for i, c := range cells {
			td := dom.Create("td")
			td.SetText(c)
			if i > 0 && i < 8 {
				td.SetClass("num", true)
			}
			tr.Append(td)
		}
		t.Append(tr)
	}
	g := v.grid
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
		name := r.Name
		if e, ok := catalog.Lookup(r.Name); ok {
			name = e.Title
		}
		row(name, m.Recons[i*m.N*784:(i+1)*m.N*784])
	}
	dom.Body().V.Get("dataset").Set("compared", strconv.Itoa(len(m.Rows)))
}

func compression(code int) string {
	if code <= 0 {
		return "–"
	}
	return strconv.FormatFloat(784/float64(code), 'f', 1, 64)
}

// meanCode is the post's encoded_imgs.mean(): how far from 0 a code's
// values sit (the sparse model's point).
func meanCode(v float64) string {
	if math.IsNaN(v) {
		return "–"
	}
	return strconv.FormatFloat(v, 'f', 3, 64)
}

func trainTime(sec float64) string {
	if math.IsNaN(sec) || sec <= 0 {
		return "–"
	}
	return numfmt.Duration(sec)
}
