//go:build js && wasm

package page

import (
	"image"
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
	digit                 []float32 // the drawing as the model sees it
}

const padSide = 280

func newPadView(rq requester, sess func() session, layers func([]float32)) *padView {
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
	dom.ByID("draw-layers").On("click", func(dom.Event) {
		if v.digit != nil {
			layers(v.digit)
		}
	})
	dom.ByID("pad-clear").On("click", func(dom.Event) {
		clear(v.ink)
		clear(v.noise)
		v.pad.Clear()
		v.encode()
	})
	return v
}

// stroke paints the pointer's position into the ink or the noise layer,
// and shows the pad as the model's input is made of them.
func (v *padView) stroke(e dom.Event) {
	// The pad's CSS box may be scaled; map to its 280×280 pixels.
	rect := v.pad.V.Call("getBoundingClientRect")
	px := e.Num("offsetX") * padSide / rect.Get("width").Float()
	py := e.Num("offsetY") * padSide / rect.Get("height").Float()
	const r = 11
	if v.brushNoise {
		v.scribble(px, py, r)
	} else {
		for y := int(py) - r; y <= int(py)+r; y++ {
			for x := int(px) - r; x <= int(px)+r; x++ {
				if y < 0 || x < 0 || y >= padSide || x >= padSide {
					continue
				}
				if d := math.Hypot(float64(x)-px, float64(y)-py); d <= r {
					i := y*padSide + x
					v.ink[i] = max(v.ink[i], float32(min(1, (r-d)/2)))
				}
			}
		}
	}
	v.paint(int(px)-r-noiseCell, int(py)-r-noiseCell, int(px)+r+noiseCell, int(py)+r+noiseCell)
	if now := dom.Now(); now-v.lastDraw > 120 {
		v.lastDraw = now
		v.encode()
	}
}

// noiseCell is one MNIST pixel on the pad.
const noiseCell = padSide / 28

// scribble gives every MNIST pixel under the brush Gaussian noise of σ 0.5
// (the denoiser's training noise), once: brushing again over it keeps it.
// The noise is per MNIST pixel because that is what the model sees.
func (v *padView) scribble(px, py, r float64) {
	for cy := 0; cy < 28; cy++ {
		for cx := 0; cx < 28; cx++ {
			mx, my := (float64(cx)+0.5)*noiseCell, (float64(cy)+0.5)*noiseCell
			if math.Hypot(mx-px, my-py) > r || v.noise[(cy*noiseCell)*padSide+cx*noiseCell] != 0 {
				continue
			}
			n := float32(max(-1, min(1, 0.5*v.rng.NormFloat64())))
			if n == 0 {
				n = 1e-3 // marks the pixel as scribbled
			}
			for y := cy * noiseCell; y < (cy+1)*noiseCell; y++ {
				for x := cx * noiseCell; x < (cx+1)*noiseCell; x++ {
					v.noise[y*padSide+x] = n
				}
			}
		}
	}
}

// paint draws the pad's pixels in [x0, x1)×[y0, y1): ink plus noise,
// clipped, white on black like the digits.
func (v *padView) paint(x0, y0, x1, y1 int) {
	x0, y0, x1, y1 = max(x0, 0), max(y0, 0), min(x1, padSide), min(y1, padSide)
	if x1 <= x0 || y1 <= y0 {
		return
	}
	img := image.NewRGBA(image.Rect(0, 0, x1-x0, y1-y0))
	for y := y0; y < y1; y++ {
		for x := x0; x < x1; x++ {
			i := y*padSide + x
			g := uint8(255 * min(max(v.ink[i]+v.noise[i], 0), 1))
			o := img.PixOffset(x-x0, y-y0)
			img.Pix[o], img.Pix[o+1], img.Pix[o+2], img.Pix[o+3] = g, g, g, 255
		}
	}
	v.pad.PutImage(img, x0, y0)
}

func (v *padView) encode() {
	digit := Preprocess(v.ink, padSide, padSide)
	AddNoisePixels(digit, v.noise, padSide, padSide)
	drawDigit(v.in, digit)
	v.digit = digit
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
