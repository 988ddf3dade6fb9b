//go:build js && wasm

package page

import (
	"fmt"
	"strconv"

	"aeplay/nn/catalog"
	"aeplay/wasm/dom"
	"aeplay/wasm/protocol"
)

// manifoldSide is the manifold's grid: 15×15, as the post draws it.
const manifoldSide = 15

// generateView is the Generate panel of a model that samples its code: the
// decoded manifold and digits of codes drawn from N(0, I).
type generateView struct {
	rq                 requester
	entry              func() catalog.Entry
	tab, hint, spacing dom.Element
	goBt, sampleBt     dom.Element
	manifold, samples  dom.Element
	draws              uint64 // Sample's clicks: each draws new codes, reproducibly
	shown              bool   // a manifold is on show, or on its way
}

func newGenerateView(rq requester, entry func() catalog.Entry) *generateView {
	v := &generateView{rq: rq, entry: entry, tab: dom.ByID("xtab-generate"), hint: dom.ByID("generate-hint"),
		spacing: dom.ByID("manifold-spacing"), goBt: dom.ByID("manifold-go"), sampleBt: dom.ByID("sample-go"),
		manifold: dom.ByID("manifold"), samples: dom.ByID("sampled-digits")}
	v.goBt.On("click", func(dom.Event) { v.decodeManifold() })
	v.spacing.On("change", func(dom.Event) { v.decodeManifold() })
	v.sampleBt.On("click", func(dom.Event) { v.sample() })
	return v
}

// latent is the code's size of the model on show.
func (v *generateView) latent() int {
	p, err := v.entry().Spec.Plan()
	if err != nil {
		return 0
	}
	return p.CodeSize
}

// modelChanged shows the panel's tab for a model that samples, and
// forgets what another model drew; it reports whether the tab is shown.
func (v *generateView) modelChanged() bool {
	on := Samples(v.entry().Spec)
	v.tab.SetHidden(!on)
	v.shown = false
	dom.AsCanvas(v.manifold).Clear()
	dom.AsCanvas(v.samples).Clear()
	v.samples.SetHidden(true)
	return on
}

// opened decodes a manifold the first time the panel opens.
func (v *generateView) opened() {
	if !v.shown {
		v.decodeManifold()
	}
}

func (v *generateView) failed(e protocol.Error) { v.hint.SetText(capitalize(e.Message) + ".") }

func (v *generateView) decodeManifold() {
	latent := v.latent()
	if latent == 0 {
		return
	}
	v.shown = true
	spacing := v.spacing.Value()
	codes := ManifoldCodes(manifoldSide, latent, spacing)
	ask(v.rq, protocol.DecodeRequest{Codes: codes}.Fields(), v.goBt, "Decoding…", "Decode the manifold", protocol.DecodeDecoded,
		func(d protocol.Decoded) {
			c := dom.AsCanvas(v.manifold)
			c.V.Set("width", manifoldSide*28)
			c.V.Set("height", manifoldSide*28)
			c.PutImage(Mosaic(d.Images, d.N, manifoldSide), 0, 0)
			what := "Gaussian quantiles, Φ⁻¹(0.05) to Φ⁻¹(0.95), so each row and column holds an equal share of N(0, 1)"
			if spacing == Linear {
				what = "even steps from −3 to 3"
			}
			others := ""
			if latent > 2 {
				others = fmt.Sprintf(" (the other %d values 0)", latent-2)
			}
			v.manifold.SetAttr("aria-label", fmt.Sprintf("%d digits decoded from a %d×%d grid of codes", d.N, manifoldSide, manifoldSide))
			v.hint.SetText(fmt.Sprintf("The decoder's digits for a %d×%d grid over the code's first two values%s: the first grows to the right, the second upwards, in %s.",
				manifoldSide, manifoldSide, others, what))
			dom.Body().V.Get("dataset").Set("manifold", strconv.Itoa(d.N))
		}, v.failed)
}

func (v *generateView) sample() {
	latent := v.latent()
	if latent == 0 {
		return
	}
	v.draws++
	const n = 10
	ask(v.rq, protocol.DecodeRequest{Codes: SampleCodes(n, latent, v.draws)}.Fields(), v.sampleBt, "Decoding…", "Sample 10 digits", protocol.DecodeDecoded,
		func(d protocol.Decoded) {
			v.samples.SetHidden(false)
			drawStrip(v.samples, d.Images, d.N)
			v.samples.SetAttr("aria-label", fmt.Sprintf("%d digits decoded from codes drawn from N(0, I), draw %d", d.N, v.draws))
			dom.Body().V.Get("dataset").Set("sampled", strconv.Itoa(int(v.draws)))
		}, v.failed)
}
