//go:build js && wasm

package page

import (
	"fmt"

	"aeplay/internal/numfmt"
	"aeplay/nn/catalog"
	"aeplay/wasm/dom"
	"aeplay/wasm/protocol"
)

// summaryView is the model's layer table (Keras' model.summary()), with the
// code layer marked, and a sentence on its code.
type summaryView struct {
	body, total, info dom.Element
}

func newSummaryView() *summaryView {
	return &summaryView{body: dom.ByID("summary").QueryAll("tbody")[0], total: dom.ByID("total-params"), info: dom.ByID("code-info")}
}

func (v *summaryView) render(r protocol.Ready, e catalog.Entry) {
	v.body.Clear()
	for i, l := range r.Layers {
		tr := dom.Create("tr")
		tr.SetClass("code", i == r.CodeLayer)
		name, shape, params := dom.Create("td"), dom.Create("td"), dom.Create("td")
		name.SetText(l.Name + " ")
		typ := dom.Create("span")
		typ.SetClass("type", true)
		typ.SetText("(" + l.Type + ")")
		name.Append(typ)
		shape.SetText(l.Shape)
		params.SetText(numfmt.Thousands(l.Params))
		params.SetClass("num", true)
		tr.Append(name, shape, params)
		v.body.Append(tr)
	}
	v.total.SetText(numfmt.Thousands(r.Params))
	info := ""
	switch {
	case r.Code > 0 && !e.ShowsCode():
		info = fmt.Sprintf("No small code here: the middle is a %s feature map (%s numbers, more than the 784 pixels). This model is about cleaning, not compressing.",
			r.Layers[r.CodeLayer].Shape, numfmt.Thousands(r.Code))
	case r.Code > 0:
		info = fmt.Sprintf("Code: %d numbers per digit, a compression factor of %.1f (784 / %d).", r.Code, 784/float64(r.Code), r.Code)
	}
	v.info.SetText(info)
}
