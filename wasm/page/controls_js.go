//go:build js && wasm

package page

import (
	"fmt"
	"strconv"

	"aeplay/internal/numfmt"
	"aeplay/wasm/dom"
	"aeplay/wasm/protocol"
)

// numeric controls: id, and how each reads into and out of the settings.
var numericControls = []struct {
	id  string
	get func(*Settings) float64
	set func(*Settings, float64)
	int bool
}{
	{"epochs", func(s *Settings) float64 { return float64(s.Epochs) }, func(s *Settings, v float64) { s.Epochs = int(v) }, true},
	{"batch", func(s *Settings) float64 { return float64(s.Batch) }, func(s *Settings, v float64) { s.Batch = int(v) }, true},
	{"lr", func(s *Settings) float64 { return s.LR }, func(s *Settings, v float64) { s.LR = v }, false},
	{"samples", func(s *Settings) float64 { return float64(s.Samples) }, func(s *Settings, v float64) { s.Samples = int(v) }, true},
	{"val", func(s *Settings) float64 { return float64(s.ValSamples) }, func(s *Settings, v float64) { s.ValSamples = int(v) }, true},
	{"noise", func(s *Settings) float64 { return s.Noise }, func(s *Settings, v float64) { s.Noise = v }, false},
	{"seed", func(s *Settings) float64 { return float64(s.Seed) }, func(s *Settings, v float64) { s.Seed = int(v) }, true},
}

// bindTabs makes buttons a tab list: a click, or the arrow keys of the ARIA
// tabs pattern (which also move the focus), selects a tab.
func bindTabs(tabs []dom.Element, selectTab func(dom.Element)) {
	for i, tab := range tabs {
		tab.On("click", func(dom.Event) { selectTab(tab) })
		tab.On("keydown", func(e dom.Event) {
			j := -1
			switch e.Key() {
			case "ArrowRight":
				j = (i + 1) % len(tabs)
			case "ArrowLeft":
				j = (i + len(tabs) - 1) % len(tabs)
			}
			if j >= 0 {
				e.PreventDefault()
				tabs[j].Focus()
				selectTab(tabs[j])
			}
		})
	}
}

// markSelected selects the tab whose attr is value: aria-selected, and the
// only one in the tab order.
func markSelected(tabs []dom.Element, attr, value string) {
	for _, tab := range tabs {
		on := tab.Attr(attr) == value
		tab.SetAttr("aria-selected", strconv.FormatBool(on))
		if on {
			tab.SetAttr("tabindex", "0")
		} else {
			tab.SetAttr("tabindex", "-1")
		}
	}
}

func (a *app) bindControls() {
	bindTabs(dom.ByID("model-tabs").QueryAll("[role=tab]"), func(tab dom.Element) { a.switchModel(tab.Attr("data-model")) })
	dom.ByID("preset").On("change", func(dom.Event) {
		a.s.ApplyPreset(dom.ByID("preset").Value())
		a.applySettings()
	})
	for _, c := range numericControls {
		el := dom.ByID(c.id)
		el.On("change", func(dom.Event) {
			v, err := strconv.ParseFloat(el.Value(), 64)
			valid := el.Prop("validity").Get("valid").Bool()
			if err != nil || !valid || c.int && v != float64(int(v)) {
				a.status("“" + el.Value() + "” is not a valid " + c.id + "; keeping " + formatNum(c.get(&a.s)) + ".")
				el.SetValue(formatNum(c.get(&a.s)))
				return
			}
			c.set(&a.s, v)
			a.s.Preset = a.s.MatchPreset()
			a.applySettings()
			if c.id == "noise" && a.s.Model == "denoise" {
				a.requestGrid()
			}
		})
	}
	dom.ByID("train").On("click", func(dom.Event) { a.train() })
	dom.ByID("step").On("click", func(dom.Event) { a.step() })
	dom.ByID("stop").On("click", func(dom.Event) { a.stop() })
	dom.ByID("reset").On("click", func(dom.Event) { a.reset() })
	dom.ByID("save").On("click", func(dom.Event) { a.post(protocol.Fields{"type": protocol.TExport}) })
	load := dom.ByID("load")
	load.On("change", func(dom.Event) { a.loadFile(load) })
	dom.ByID("alert-action").On("click", func(dom.Event) { a.reset() })
	dom.ByID("alert-close").On("click", func(dom.Event) { a.hideError() })
	dom.ByID("new-digits").On("click", func(dom.Event) { a.newDigits() })
	workers := dom.ByID("workers")
	workers.On("change", func(dom.Event) {
		n, err := strconv.Atoi(workers.Value())
		if err != nil || n == len(a.workers) {
			return
		}
		a.s.Workers = n
		dom.ReplaceHash(a.s.Hash())
		a.restartWorkers()
		a.status(fmt.Sprintf("Training with %d workers.", n))
	})
	slider := dom.ByID("noise-slider")
	slider.On("input", func(dom.Event) {
		v, err := strconv.ParseFloat(slider.Value(), 64)
		if err != nil {
			return
		}
		a.s.Noise = v
		dom.ByID("noise-out").SetText(formatNum(v))
		dom.ByID("noise").SetValue(formatNum(v))
		dom.ReplaceHash(a.s.Hash())
		a.requestGrid()
	})
	// Space toggles training from anywhere but a form field.
	dom.OnWindow("keydown", func(e dom.Event) {
		if e.Key() != " " {
			return
		}
		switch e.Target().V.Get("tagName").String() {
		case "INPUT", "SELECT", "TEXTAREA", "BUTTON", "A":
			return
		}
		e.PreventDefault()
		a.train()
	})
	dom.OnWindow("hashchange", func(dom.Event) {
		if dom.Hash() == a.s.Hash() {
			return
		}
		s := a.readHash()
		model := s.Model
		s.Model = a.s.Model
		a.s = s
		a.applySettings()
		if model != a.s.Model {
			a.switchModel(model)
		}
	})
	dom.OnWindow("resize", func(dom.Event) {
		dom.RequestFrame(func() {
			if a.haveGrid {
				a.gridView.draw(a.grid, a.ready.Model)
			}
			a.drawChart()
		})
	})
	open := dom.ByID("open-full")
	open.On("click", func(dom.Event) {
		full := a.s
		full.Embed, full.Hide, full.Autostart = false, nil, false
		open.SetAttr("href", "./#"+full.Hash())
	})
}

func formatNum(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// applySettings shows the settings in the controls, the tabs and the URL.
func (a *app) applySettings() {
	s := a.s
	dom.ByID("preset").SetValue(s.Preset)
	for _, c := range numericControls {
		dom.ByID(c.id).SetValue(formatNum(c.get(&s)))
	}
	desc := map[string]string{"quick": "Quick: ", "seed": "The post's recipe: ", "custom": "Custom: "}[s.Preset]
	dom.ByID("preset-desc").SetText(desc + s.Describe() + ", batch " + numfmt.Thousands(s.Batch) + ", Adam lr " + formatNum(s.LR) + ".")
	markSelected(dom.ByID("model-tabs").QueryAll("[role=tab]"), "data-model", s.Model)
	for _, art := range dom.Body().QueryAll(".story article") {
		art.SetHidden(art.Attr("data-model") != s.Model)
	}
	dom.ByID("noise-slider-wrap").SetHidden(s.Model != "denoise")
	dom.ByID("noise-slider").SetValue(formatNum(min(s.Noise, 1)))
	dom.ByID("noise-out").SetText(formatNum(s.Noise))
	dom.Body().SetClass("embed", s.Embed)
	for _, el := range dom.Body().QueryAll("[data-control]") {
		if s.Hidden(el.Attr("data-control")) {
			el.SetAttr("data-hidden-by-embedder", "")
		} else {
			el.RemoveAttr("data-hidden-by-embedder")
		}
	}
	dom.ReplaceHash(s.Hash())
}

// updateButtons fits the buttons to the state.
func (a *app) updateButtons() {
	train := dom.ByID("train")
	label := map[string]string{stTraining: "⏸ Pause", stPaused: "▶ Resume", stDownloading: "Loading…"}[a.state]
	if label == "" {
		label = "▶ Train"
	}
	train.SetText(label)
	running := a.state == stTraining || a.state == stPaused
	train.SetProp("disabled", a.state == stLoading || a.state == stDownloading || a.state == stError)
	dom.ByID("step").SetProp("disabled", !running)
	dom.ByID("stop").SetProp("disabled", !running)
	dom.ByID("reset").SetProp("disabled", a.state == stLoading && !a.fatal)
	dom.ByID("new-digits").SetProp("disabled", a.ready.TestDigits < 10)
	for _, c := range numericControls {
		dom.ByID(c.id).SetProp("disabled", running || a.state == stDownloading)
	}
	dom.ByID("preset").SetProp("disabled", running || a.state == stDownloading)
	dom.ByID("save").SetProp("disabled", a.state != stIdle)
	dom.ByID("load").SetProp("disabled", a.state != stIdle)
	dom.ByID("workers").SetProp("disabled", running || a.state == stDownloading || a.state == stLoading)
}
