//go:build js && wasm

package page

import (
	"slices"
	"strconv"
	"syscall/js"

	"aeplay/internal/numfmt"
	"aeplay/nn/catalog"
	"aeplay/nn/spec"
	"aeplay/wasm/dom"
)

// numeric controls: id, and how each reads into and out of the settings.
type numericControl struct {
	id  string
	get func(*Settings) float64
	set func(*Settings, float64)
	int bool
}

var numericControls = []numericControl{
	{"epochs", func(s *Settings) float64 { return float64(s.Epochs) }, func(s *Settings, v float64) { s.Epochs = int(v) }, true},
	{"batch", func(s *Settings) float64 { return float64(s.Batch) }, func(s *Settings, v float64) { s.Batch = int(v) }, true},
	{"lr", func(s *Settings) float64 { return s.LR }, func(s *Settings, v float64) { s.LR = v }, false},
	{"samples", func(s *Settings) float64 { return float64(s.Samples) }, func(s *Settings, v float64) { s.Samples = int(v) }, true},
	{"val", func(s *Settings) float64 { return float64(s.ValSamples) }, func(s *Settings, v float64) { s.ValSamples = int(v) }, true},
	{"noise", func(s *Settings) float64 { return s.Noise }, func(s *Settings, v float64) { s.Noise = v }, false},
	{"seed", func(s *Settings) float64 { return float64(s.Seed) }, func(s *Settings, v float64) { s.Seed = int(v) }, true},
}

// noiseControl is the noise level's place in numericControls.
var noiseControl = slices.IndexFunc(numericControls, func(c numericControl) bool { return c.id == "noise" })

// controlIntents are what the reader can ask of the controls.
type controlIntents struct {
	settings                       func(Settings) // a setting changed (valid)
	invalid                        func(msg string)
	noise                          func(float64) // the live noise slider moved
	train, step, stop, reset, save func()
	restore                        func() // the previous kept model
	load                           func(file js.Value)
	workers                        func(n int)
}

// controlsView is the form under the chart: the preset and the recipe's
// fields, the noise slider, the run's buttons, weights files, and the
// header's worker count.
type controlsView struct {
	do                                       controlIntents
	s                                        Settings // as last shown
	preset, desc, sliderWrap, slider, out    dom.Element
	kind, kindName, sliderName               dom.Element // the noise kind, and its level's names
	train, step, stop, reset, save, load, wk dom.Element
	restore                                  dom.Element
	numeric                                  []dom.Element
	openFull                                 dom.Element
}

func newControlsView(do controlIntents) *controlsView {
	c := &controlsView{do: do, preset: dom.ByID("preset"), desc: dom.ByID("preset-desc"),
		sliderWrap: dom.ByID("noise-slider-wrap"), slider: dom.ByID("noise-slider"), out: dom.ByID("noise-out"),
		kind: dom.ByID("noise-kind"), kindName: dom.ByID("noise-name"), sliderName: dom.ByID("noise-slider-name"),
		train: dom.ByID("train"), step: dom.ByID("step"), stop: dom.ByID("stop"), reset: dom.ByID("reset"), restore: dom.ByID("restore"),
		save: dom.ByID("save"), load: dom.ByID("load"), wk: dom.ByID("workers"), openFull: dom.ByID("open-full")}
	// Enter in a field submits the form: the settings apply on change, so
	// the submission itself is dropped (the CSP forbids an inline handler).
	dom.ByID("controls").On("submit", func(e dom.Event) { e.PreventDefault() })
	c.preset.On("change", func(dom.Event) {
		s := c.s
		s.ApplyPreset(c.preset.Value())
		do.settings(s)
	})
	for _, nc := range numericControls {
		el := dom.ByID(nc.id)
		c.numeric = append(c.numeric, el)
		el.On("change", func(dom.Event) {
			v, err := strconv.ParseFloat(el.Value(), 64)
			valid := el.Prop("validity").Get("valid").Bool()
			if err != nil || !valid || nc.int && v != float64(int(v)) {
				do.invalid("“" + el.Value() + "” is not a valid " + nc.id + "; keeping " + formatNum(nc.get(&c.s)) + ".")
				el.SetValue(formatNum(nc.get(&c.s)))
				return
			}
			s := c.s
			nc.set(&s, v)
			s.Preset = s.MatchPreset()
			do.settings(s)
		})
	}
	c.kind.On("change", func(dom.Event) {
		s := c.s
		s.NoiseKind = c.kind.Value()
		if s.NoiseKind == spec.MaskNoise {
			s.Noise = min(s.Noise, 1) // a probability
		}
		do.settings(s)
	})
	c.slider.On("input", func(dom.Event) {
		if v, err := strconv.ParseFloat(c.slider.Value(), 64); err == nil {
			do.noise(v)
		}
	})
	c.train.On("click", func(dom.Event) { do.train() })
	c.step.On("click", func(dom.Event) { do.step() })
	c.stop.On("click", func(dom.Event) { do.stop() })
	c.reset.On("click", func(dom.Event) { do.reset() })
	c.restore.On("click", func(dom.Event) { do.restore() })
	c.save.On("click", func(dom.Event) { do.save() })
	c.load.On("change", func(dom.Event) {
		files := c.load.Prop("files")
		if files.Length() == 0 {
			return
		}
		f := files.Index(0)
		c.load.SetValue("") // choosing the same file again still fires change
		do.load(f)
	})
	c.wk.On("change", func(dom.Event) {
		if n, err := strconv.Atoi(c.wk.Value()); err == nil {
			do.workers(n)
		}
	})
	c.openFull.On("click", func(dom.Event) {
		full := c.s
		full.Embed, full.Hide, full.Show, full.Theme, full.Autostart = false, nil, nil, "", false
		c.openFull.SetAttr("href", "./#"+full.Hash())
	})
	return c
}

func formatNum(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// show puts the settings in the controls (the noise slider only for a
// model trained on noisy input) and marks what the embedder hid.
func (c *controlsView) show(s Settings, e catalog.Entry) {
	c.s = s
	c.preset.SetValue(s.Preset)
	for i, nc := range numericControls {
		c.numeric[i].SetValue(formatNum(nc.get(&s)))
	}
	desc := map[string]string{"quick": "Quick: ", "seed": "The post's recipe: ", "custom": "Custom: "}[s.Preset]
	c.desc.SetText(desc + s.Describe() + ", batch " + numfmt.Thousands(s.Batch) + ", Adam lr " + formatNum(s.LR) + ".")
	c.sliderWrap.SetHidden(e.Noise == 0)
	c.kind.SetValue(s.NoiseKind)
	c.kindName.SetText(LevelName(s.NoiseKind))
	if s.NoiseKind == spec.MaskNoise {
		c.numeric[noiseControl].SetAttr("max", "1")
		c.sliderName.SetText("masking p")
	} else {
		c.numeric[noiseControl].SetAttr("max", "2")
		c.sliderName.SetText("noise σ")
	}
	c.slider.SetValue(formatNum(min(s.Noise, 1)))
	c.out.SetText(formatNum(s.Noise))
	dom.Body().SetClass("embed", s.Embed)
	root := dom.Element{V: js.Global().Get("document").Get("documentElement")}
	if s.Theme != "" {
		root.SetAttr("data-theme", s.Theme)
	} else {
		root.RemoveAttr("data-theme")
	}
	for _, el := range dom.Body().QueryAll("[data-control]") {
		if s.Hidden(el.Attr("data-control")) {
			el.SetAttr("data-hidden-by-embedder", "")
		} else {
			el.RemoveAttr("data-hidden-by-embedder")
		}
	}
}

// offerPrevious shows the Previous model button when there is one.
func (c *controlsView) offerPrevious(on bool) { c.restore.SetHidden(!on) }

// setWorkers shows the reader's worker count (0: auto).
func (c *controlsView) setWorkers(n int) { c.wk.SetValue(strconv.Itoa(n)) }

// fit enables and labels the controls as the page's phase says
// (ButtonsFor).
func (c *controlsView) fit(b Buttons) {
	setLabel(c.train, b.TrainIcon, b.TrainLabel)
	c.train.SetProp("disabled", !b.Train)
	c.step.SetProp("disabled", !b.Step)
	c.stop.SetProp("disabled", !b.Stop)
	c.reset.SetProp("disabled", !b.Reset)
	for _, el := range c.numeric {
		el.SetProp("disabled", !b.Settings)
	}
	c.preset.SetProp("disabled", !b.Settings)
	c.save.SetProp("disabled", !b.Save)
	c.restore.SetProp("disabled", !b.Restore)
	c.load.SetProp("disabled", !b.Load)
	c.wk.SetProp("disabled", !b.Workers)
}

// setLabel gives a button an icon drawn by CSS (see .icon in style.css; ""
// for none) and a label.
func setLabel(b dom.Element, icon, label string) {
	b.Clear()
	if icon != "" {
		i := dom.Create("span")
		i.SetAttr("class", "icon "+icon)
		i.SetAttr("aria-hidden", "true")
		b.Append(i)
		label = " " + label
	}
	b.V.Call("append", label)
}
