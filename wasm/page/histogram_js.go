//go:build js && wasm

package page

import (
	"fmt"
	"strconv"
	"strings"

	"aeplay/wasm/dom"
	"aeplay/wasm/protocol"
)

// histView is the Compare panel's histogram of code values: the model on
// show's beside the simple model's, over the test digits. A sparse code's
// values pile up at 0.
type histView struct {
	fig, info dom.Element
	canvas    dom.Canvas
}

func newHistView() histView {
	return histView{fig: dom.ByID("code-hist-fig"), info: dom.ByID("code-hist-info"), canvas: dom.AsCanvas(dom.ByID("code-hist"))}
}

func (h *histView) request(rq requester) {
	rq.request(protocol.Control{Type: protocol.THistogram}.Fields(), reply{
		ok: func(m protocol.Object) {
			if hist, err := protocol.DecodeHistogram(m); err == nil {
				h.draw(hist)
			}
		},
		failed: func(e protocol.Error) {
			h.fig.SetHidden(false)
			h.info.SetText("No histogram of code values: " + e.Message + ".")
		},
	})
}

// histColors are the series' colours: the model on show's, the simple
// model's.
var histColors = []string{"--accent", "--muted"}

func (h *histView) draw(hist protocol.Histogram) {
	h.fig.SetHidden(false)
	var parts []string
	for i, name := range hist.Names {
		parts = append(parts, fmt.Sprintf("%s: %.0f%% of the values exactly 0, mean %.3f", name, 100*hist.Zeros[i], hist.Means[i]))
	}
	h.info.SetText(fmt.Sprintf("The code values of the %d test digits, in %d bins (the share of all values in each). ", hist.Digits, len(hist.Edges)-1) +
		strings.Join(parts, "; ") + ".")
	w, ht, dpr := h.canvas.Fit(180)
	if w == 0 {
		return
	}
	ctx := h.canvas.Context2D()
	ctx.ClearRect(0, 0, float64(w), float64(ht))
	pad, base := 8*dpr, float64(ht)-18*dpr
	top := 0.0
	for _, s := range hist.Shares {
		for _, v := range s {
			top = max(top, v)
		}
	}
	bins := len(hist.Edges) - 1
	bw := (float64(w) - 2*pad) / float64(bins)
	for k, s := range hist.Shares {
		ctx.FillStyle(dom.CSSVar(histColors[k%len(histColors)]))
		sub := bw / float64(len(hist.Shares))
		for b, v := range s {
			bh := (base - pad) * v / max(top, 1e-9)
			ctx.FillRect(pad+float64(b)*bw+float64(k)*sub, base-bh, max(sub-dpr, 1), bh)
		}
	}
	ctx.FillStyle(dom.CSSVar("--muted"))
	ctx.Font(strconv.Itoa(int(11*dpr)) + "px system-ui, sans-serif")
	ctx.TextBaseline("bottom")
	lo, hi := hist.Edges[0], hist.Edges[bins]
	ctx.TextAlign("left")
	ctx.FillText(strconv.FormatFloat(lo, 'g', 3, 64), pad, float64(ht))
	ctx.TextAlign("right")
	ctx.FillText(strconv.FormatFloat(hi, 'g', 3, 64), float64(w)-pad, float64(ht))
	dom.Body().V.Get("dataset").Set("histogram", strconv.Itoa(len(hist.Names)))
}
