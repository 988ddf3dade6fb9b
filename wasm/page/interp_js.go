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
	rng        *rand.Rand
}

func newInterpView(rq requester, sess func() session, fail func(string)) *interpView {
	v := &interpView{rq: rq, sess: sess, fail: fail, a: dom.ByID("interp-a"), b: dom.ByID("interp-b"),
		goBt: dom.ByID("interp-go"), strip: dom.ByID("interp"), rng: rand.New(rand.NewPCG(1, 2))}
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
	v.rq.request(protocol.Interpolate{A: a, B: b, Steps: 8}.Fields(), reply{
		ok: func(m protocol.Object) {
			v.goBt.SetProp("disabled", false)
			if d, err := protocol.DecodeDecoded(m); err == nil {
				drawStrip(v.strip, d.Images, d.N)
				v.strip.SetAttr("aria-label", fmt.Sprintf("%d digits between test digits #%d and #%d", d.N, a, b))
				dom.Body().V.Get("dataset").Set("interpolated", strconv.Itoa(d.N))
			}
		},
		failed: func(protocol.Error) { v.goBt.SetProp("disabled", false) },
	})
}
