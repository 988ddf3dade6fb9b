//go:build js && wasm

package page

import (
	"fmt"
	"math/rand/v2"
	"strconv"

	"aeplay/wasm/dom"
	"aeplay/wasm/protocol"
)

// interpView is the Interpolate panel: eight decoded codes evenly between
// two test digits' codes.
type interpView struct {
	rq         requester
	sess       func() session
	fail       func(string)
	a, b, goBt dom.Element
	strip      dom.Element
	hint       dom.Element
	shown      bool // an interpolation is on show, or on its way
	rng        *rand.Rand
}

func newInterpView(rq requester, sess func() session, fail func(string)) *interpView {
	v := &interpView{rq: rq, sess: sess, fail: fail, a: dom.ByID("interp-a"), b: dom.ByID("interp-b"),
		goBt: dom.ByID("interp-go"), strip: dom.ByID("interp"), hint: dom.ByID("interp-hint"), rng: rand.New(rand.NewPCG(1, 2))}
	v.goBt.On("click", func(dom.Event) { v.request() })
	dom.ByID("interp-random").On("click", func(dom.Event) {
		n := max(v.sess().ready.TestDigits, 2)
		v.between(v.rng.IntN(n), v.rng.IntN(n))
	})
	return v
}

// between interpolates between test digits a and b.
func (v *interpView) between(a, b int) {
	v.a.SetValue(strconv.Itoa(a))
	v.b.SetValue(strconv.Itoa(b))
	v.request()
}

func (v *interpView) request() {
	a, err1 := strconv.Atoi(v.a.Value())
	b, err2 := strconv.Atoi(v.b.Value())
	if err1 != nil || err2 != nil {
		v.fail("Interpolation needs two test digit numbers.")
		return
	}
	v.goBt.SetProp("disabled", true)
	v.shown = true
	v.rq.request(protocol.Interpolate{A: a, B: b, Steps: 8}.Fields(), reply{
		ok: func(m protocol.Object) {
			v.goBt.SetProp("disabled", false)
			if d, err := protocol.DecodeDecoded(m); err == nil {
				drawStrip(v.strip, d.Images, d.N)
				what := fmt.Sprintf("test digits #%d and #%d", a, b)
				if len(d.Labels) == 2 {
					what = fmt.Sprintf("test digit #%d (%s) and #%d (%s)", a, digitName(d.Labels[0]), b, digitName(d.Labels[1]))
				}
				v.strip.SetAttr("aria-label", fmt.Sprintf("%d decoded codes between %s", d.N, what))
				v.hint.SetText(fmt.Sprintf("Eight codes evenly between the codes of %s, decoded: what lies between them in the model's eyes.", what))
				dom.Body().V.Get("dataset").Set("interpolated", strconv.Itoa(d.N))
			}
		},
		failed: func(e protocol.Error) {
			v.goBt.SetProp("disabled", false)
			v.hint.SetText(capitalize(e.Message) + ".")
		},
	})
}

// opened shows an interpolation the first time the panel opens, rather
// than an empty strip.
func (v *interpView) opened() {
	if !v.shown {
		v.request()
	}
}

// digitName is "a 7", "an 8".
func digitName(label uint8) string {
	if label == 8 {
		return "an 8"
	}
	return "a " + strconv.Itoa(int(label))
}
