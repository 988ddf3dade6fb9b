//go:build js && wasm

package page

import (
	"math"
	"math/rand/v2"

	"aeplay/nn/catalog"
	"aeplay/nn/viz"
	"aeplay/wasm/dom"
	"aeplay/wasm/protocol"
)

// padView is the Draw a digit panel: a 280×280 pad for mouse, finger or
// pen, the drawing after MNIST's preprocessing, its code, its
// reconstruction and what the pretrained denoiser makes of it.
type padView struct {
	rq                    requester
	sess                  func() session
	reconLbl, denoisedLbl dom.Element
	pad                   dom.Canvas
	in, recon, denoised   dom.Element
	code                  dom.Canvas
	ink, noise            []float32 // the pad's layers, padSide×padSide
	lastDraw              float64
	brushNoise, drawing   bool
	rng                   *rand.Rand
}

const padSide = 280

func newPadView(rq requester, sess func() session) *padView {
	v := &padView{rq: rq, sess: sess, reconLbl: dom.ByID("draw-recon-label"), denoisedLbl: dom.ByID("draw-denoised-label"), pad: dom.AsCanvas(dom.ByID("pad")), in: dom.ByID("draw-in"), recon: dom.ByID("draw-recon"),
		denoised: dom.ByID("draw-denoised"), code: dom.AsCanvas(dom.ByID("draw-code")),
		ink: make([]float32, padSide*padSide), noise: make([]float32, padSide*padSide), rng: rand.New(rand.NewPCG(1, 2))}
	pad := v.pad
	pad.On("pointerdown", func(e dom.Event) {
		pad.V.Call("setPointerCapture", e.V.Get("pointerId"))
		v.drawing = true
		v.stroke(e)
	})
	pad.On("pointermove", func(e dom.Event) {
		if v.drawing {
			v.stroke(e)
		}
	})
	pad.On("pointerup", func(dom.Event) {
		v.drawing = false
		v.encode()
	})
	dom.ByID("brush-ink").On("change", func(dom.Event) { v.brushNoise = false })
	dom.ByID("brush-noise").On("change", func(dom.Event) { v.brushNoise = true })
	dom.ByID("pad-clear").On("click", func(dom.Event) {
		clear(v.ink)
		clear(v.noise)
		v.pad.Clear()
		v.encode()
	})
	return v
}

// stroke paints the pointer's position into the ink or noise layer and on
// the pad.
func (v *padView) stroke(e dom.Event) {
	// The pad's CSS box may be scaled; map to its 280×280 pixels.
	rect := v.pad.V.Call("getBoundingClientRect")
	px := e.Num("offsetX") * padSide / rect.Get("width").Float()
	py := e.Num("offsetY") * padSide / rect.Get("height").Float()
	const r = 11
	for y := int(py) - r; y <= int(py)+r; y++ {
		for x := int(px) - r; x <= int(px)+r; x++ {
			if y < 0 || x < 0 || y >= padSide || x >= padSide {
				continue
			}
			d := math.Hypot(float64(x)-px, float64(y)-py)
			if d > r {
				continue
			}
			i := y*padSide + x
			if v.brushNoise {
				if v.rng.Float64() < 0.08 {
					v.noise[i] = float32(v.rng.Float64())
				}
			} else {
				v.ink[i] = max(v.ink[i], float32(min(1, (r-d)/2)))
			}
		}
	}
	ctx := v.pad.Context2D()
	if v.brushNoise {
		ctx.FillStyle("rgba(200,200,200,0.35)")
	} else {
		ctx.FillStyle("#fff")
	}
	ctx.BeginPath()
	ctx.Arc(px, py, r)
	ctx.Fill()
	if now := dom.Now(); now-v.lastDraw > 120 {
		v.lastDraw = now
		v.encode()
	}
}

func (v *padView) encode() {
	digit := Preprocess(v.ink, padSide, padSide)
	AddNoisePixels(digit, v.noise, padSide, padSide)
	drawDigit(v.in, digit)
	v.rq.request(protocol.Encode{Pixels: digit}.Fields(), reply{ok: func(m protocol.Object) {
		if e, err := protocol.DecodeEncoded(m); err == nil {
			v.show(e)
		}
	}})
}

func (v *padView) show(m protocol.Encoded) {
	// Say which models drew the two images: the one on show, and the
	// pretrained denoiser (the same one when it is on show).
	title := v.sess().ready.Model
	if e, ok := catalog.Lookup(title); ok {
		title = e.Title
	}
	v.reconLbl.SetText("reconstruction (" + title + ")")
	v.denoisedLbl.SetText("denoised (" + catalog.Denoiser().Title + ", pretrained)")
	drawDigit(v.recon, m.Recon)
	drawDigit(v.denoised, m.Denoised)
	c := v.code
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
