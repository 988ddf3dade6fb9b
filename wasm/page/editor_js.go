//go:build js && wasm

package page

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"aeplay/internal/numfmt"
	"aeplay/nn/catalog"
	"aeplay/nn/spec"
	"aeplay/wasm/dom"
)

// editorView is the model editor: a draft of the spec on show, one row per
// layer with its arguments, its output shape and parameters, and the
// draft's problem pinned to its layer. A valid draft is built at once (the
// page shows it, untrained unless it is a catalogue model); an invalid one
// leaves the model on show as it was and keeps Train disabled until it is
// fixed. The rows are drawn anew on every edit; the focus goes back to the
// same control of the same layer, so the keyboard does not lose its place.
type editorView struct {
	open, panel, table, rows, base, input, loss, noise, sum, problemEl dom.Element
	noiseKind                                                          dom.Element

	draft   spec.Spec
	applied string // the spec text on show, which the draft started from
	err     error  // the draft's problem, nil when it is the model on show
	samples int    // the settings' training digits, for the estimate
	rates   Rates
	enabled bool

	apply func(text string) // build a valid draft
	pick  func(model string)
	fixed func() // the draft's validity changed
}

func newEditorView(apply func(string), pick func(string), fixed func()) *editorView {
	v := &editorView{open: dom.ByID("edit-model"), panel: dom.ByID("editor"), table: dom.ByID("summary-wrap"),
		rows: dom.ByID("editor-layers"), base: dom.ByID("editor-base"), input: dom.ByID("editor-input"),
		loss: dom.ByID("editor-loss"), noise: dom.ByID("editor-noise"), noiseKind: dom.ByID("editor-noise-kind"), sum: dom.ByID("editor-sum"),
		problemEl: dom.ByID("editor-problem"), apply: apply, pick: pick, fixed: fixed, enabled: true}
	for _, name := range catalog.Names() {
		e, _ := catalog.Lookup(name)
		o := dom.Create("option")
		o.SetAttr("value", name)
		o.SetText(e.Title)
		v.base.Append(o)
	}
	v.open.On("click", func(dom.Event) { v.toggle() })
	v.base.On("change", func(dom.Event) {
		// "your model" names the model on show when it is no catalogue
		// model; chosen over a catalogue model, it changes nothing.
		if m := v.base.Value(); m != "" {
			v.pick(m)
		} else if e, err := catalog.Resolve(v.applied); err == nil && !e.Custom {
			v.base.SetValue(e.Name)
		}
	})
	v.input.On("change", func(dom.Event) {
		d := v.draft.Clone()
		d.Input, _ = ParseDims(v.input.Value())
		v.edit(d, "input")
	})
	v.loss.On("change", func(dom.Event) {
		d := v.draft.Clone()
		d.Loss, d.Sum = strings.CutSuffix(v.loss.Value(), ",sum")
		v.edit(d, "loss")
	})
	v.noise.On("change", func(dom.Event) {
		d := v.draft.Clone()
		f, err := strconv.ParseFloat(v.noise.Value(), 64)
		if err != nil || !v.noise.Prop("validity").Get("valid").Bool() {
			v.noise.SetValue(formatNum(d.Noise))
			return
		}
		d.Noise = f
		v.edit(d, "noise")
	})
	v.noiseKind.On("change", func(dom.Event) {
		d := v.draft.Clone()
		d.NoiseKind = v.noiseKind.Value()
		if d.NoiseKind == spec.MaskNoise && d.Noise == 0 {
			d.Noise = 0.25 // a kind without a level would not be kept
		}
		v.edit(d, "noiseKind")
	})
	return v
}

func (v *editorView) toggle() {
	on := v.panel.Prop("hidden").Bool()
	v.panel.SetHidden(!on)
	v.table.SetHidden(on)
	v.open.SetAttr("aria-expanded", strconv.FormatBool(on))
	v.open.SetText(map[bool]string{true: "Done editing", false: "Edit layers"}[on])
	if on {
		v.render("")
	}
}

// show follows the model on show: a new one replaces the draft (a draft
// that was a valid edit of it is that model already).
func (v *editorView) show(e catalog.Entry, s Settings) {
	v.samples = s.Samples
	text := e.Spec.String()
	if text == v.applied && v.err != nil {
		v.render("")
		return
	}
	had := v.err != nil
	v.draft, v.applied, v.err = e.Spec.Clone(), text, nil
	if e.Custom {
		v.base.SetValue("")
	} else {
		v.base.SetValue(e.Name)
	}
	v.render("")
	if had {
		v.fixed()
	}
}

// enable allows editing, or not during a run.
func (v *editorView) enable(on bool) {
	if on == v.enabled {
		return
	}
	v.enabled = on
	v.render("")
}

// problem is why the draft cannot be trained, or nil.
func (v *editorView) problem() error { return v.err }

// observe records a run's speed for the estimate.
func (v *editorView) observe(s spec.Spec, samplesPerSec float64) {
	v.rates.Observe(s, samplesPerSec)
	v.render("")
}

// edit takes a changed draft: builds it when valid, else pins its error.
// focus names the control to focus after drawing ("row:field").
func (v *editorView) edit(d spec.Spec, focus string) {
	had := v.err != nil
	v.draft = d
	_, err := d.Plan()
	v.err = err
	v.render(focus)
	if err == nil && d.String() != v.applied {
		v.applied = d.String()
		v.apply(v.applied)
	}
	if had != (err != nil) {
		v.fixed()
	}
}

// render draws the draft: the head's fields, a row per layer, the totals.
func (v *editorView) render(focus string) {
	if v.panel.Prop("hidden").Bool() {
		return
	}
	if focus == "" {
		if a := dom.ActiveElement(); a.Attr("data-key") != "" {
			focus = a.Attr("data-key")
		}
	}
	d := v.draft
	p, err := d.Plan()
	var se *spec.Error
	errors.As(err, &se)
	v.input.SetValue(dims(d.Input))
	if d.Sum {
		v.loss.SetValue(d.Loss + ",sum")
	} else {
		v.loss.SetValue(d.Loss)
	}
	v.noise.SetValue(formatNum(d.Noise))
	v.noiseKind.SetValue(d.NoiseKind)
	v.noise.SetAttr("max", map[bool]string{true: "1", false: "2"}[d.NoiseKind == spec.MaskNoise])
	for _, el := range []dom.Element{v.base, v.input, v.loss, v.noise, v.noiseKind} {
		el.SetProp("disabled", !v.enabled)
	}
	v.rows.Clear()
	for i, l := range d.Layers {
		v.rows.Append(v.row(i, l, p, se))
	}
	add := dom.Create("li")
	add.SetClass("editor-end", true)
	add.Append(v.button("+ layer", "add:end", "Add a layer at the end", func() {
		v.edit(InsertLayer(d, len(d.Layers), KindFor(ShapeBefore(d, p, len(d.Layers)))), strconv.Itoa(len(d.Layers))+":kind")
	}))
	v.rows.Append(add)

	switch {
	case err != nil && (se == nil || se.Layer == 0):
		v.problemEl.SetText(capitalize(err.Error()) + ".")
	case err != nil:
		v.problemEl.SetText(fmt.Sprintf("Layer %d has a problem (shown on it); the model on show is the last one that worked.", se.Layer))
	default:
		v.problemEl.SetText("")
	}
	v.problemEl.SetHidden(err == nil)
	v.sum.SetText(v.summary(d, p, err))
	if focus != "" {
		if el := v.panel.QueryAll(`[data-key="` + focus + `"]`); len(el) > 0 {
			el[0].Focus()
		}
	}
}

// summary is the totals line: parameters, the code and its compression,
// the estimated time of an epoch here.
func (v *editorView) summary(d spec.Spec, p spec.Plan, err error) string {
	if err != nil {
		return ""
	}
	t := fmt.Sprintf("%s parameters; the code is %s numbers, a compression factor of %.1f (784 / %d).",
		numfmt.Thousands(p.Params), numfmt.Thousands(p.CodeSize), 784/float64(p.CodeSize), p.CodeSize)
	if sec, ok := v.rates.EpochSeconds(d, p, v.samples); ok {
		t += fmt.Sprintf(" An epoch of %s digits: about %s in this tab (%s multiply-adds a digit, at the speed of the last run here).",
			numfmt.Thousands(v.samples), Duration(sec), numfmt.Thousands(p.MACs))
	} else {
		t += fmt.Sprintf(" %s multiply-adds a digit; train once and this says how long an epoch takes here.", numfmt.Thousands(p.MACs))
	}
	return t
}

// row draws layer i: its number, kind and arguments, the code mark, the
// buttons that move, remove or add a layer, its output and its problem.
func (v *editorView) row(i int, l spec.Layer, p spec.Plan, se *spec.Error) dom.Element {
	d := v.draft
	li := dom.Create("li")
	li.SetClass("code", i == d.Code)
	key := func(f string) string { return strconv.Itoa(i) + ":" + f }
	set := func(f string, change func(*spec.Layer)) {
		l := d.Layers[i]
		l.Target = slices.Clone(l.Target)
		change(&l)
		v.edit(SetLayer(d, i, l), key(f))
	}
	num := dom.Create("span")
	num.SetClass("layer-num", true)
	num.SetText(strconv.Itoa(i + 1))
	args := dom.Create("span")
	args.SetClass("layer-args", true)
	label := fmt.Sprintf("layer %d ", i+1)
	kind := v.choice("", key("kind"), label+"kind", spec.Kinds, spec.KerasClass, l.Kind, func(s string) { set("kind", func(l *spec.Layer) { l.Kind = s }) })
	kind.SetClass("layer-kind", true)
	intField := func(name string, val, lo, hi int, change func(*spec.Layer, int)) {
		args.Append(v.number(name, key(name), label+name, val, lo, hi, func(n int) { set(name, func(l *spec.Layer) { change(l, n) }) }))
	}
	pick := func(name string, options []string, val string, change func(*spec.Layer, string)) {
		args.Append(v.choice(name, key(name), label+name, options, nil, val, func(s string) { set(name, func(l *spec.Layer) { change(l, s) }) }))
	}
	ints := func(lo, hi int) []string {
		var o []string
		for n := lo; n <= hi; n++ {
			o = append(o, strconv.Itoa(n))
		}
		return o
	}
	switch l.Kind {
	case spec.Dense:
		intField("units", l.Units, 1, 16384, func(l *spec.Layer, n int) { l.Units = n })
		pick("activation", spec.Activations, l.Activation, func(l *spec.Layer, s string) { l.Activation = s })
	case spec.Conv2D:
		intField("filters", l.Filters, 1, 1024, func(l *spec.Layer, n int) { l.Filters = n })
		pick("kernel", ints(1, 7), strconv.Itoa(l.Kernel), func(l *spec.Layer, s string) { l.Kernel, _ = strconv.Atoi(s) })
		pick("strides", ints(1, 4), strconv.Itoa(l.Strides), func(l *spec.Layer, s string) { l.Strides, _ = strconv.Atoi(s) })
		pick("padding", spec.Paddings, l.Padding, func(l *spec.Layer, s string) { l.Padding = s })
		pick("activation", spec.Activations, l.Activation, func(l *spec.Layer, s string) { l.Activation = s })
	case spec.MaxPooling2D:
		pick("pool", ints(1, 8), strconv.Itoa(l.Size), func(l *spec.Layer, s string) { l.Size, _ = strconv.Atoi(s) })
		pick("padding", spec.Paddings, l.Padding, func(l *spec.Layer, s string) { l.Padding = s })
	case spec.UpSampling2D:
		pick("size", ints(1, 8), strconv.Itoa(l.Size), func(l *spec.Layer, s string) { l.Size, _ = strconv.Atoi(s) })
	case spec.Sampling:
		intField("latent", l.Units, 1, 1024, func(l *spec.Layer, n int) { l.Units = n })
	case spec.Reshape:
		args.Append(v.text("target", key("target"), label+"target shape", dims(l.Target), func(t string) {
			// A shape that cannot be read is none, and the spec says so.
			target, _ := ParseDims(t)
			set("target", func(l *spec.Layer) { l.Target = target })
		}))
	}
	// An activity penalty on the layer's output (the sparse model's L1).
	kinds := []string{"none", "L1", "L2", "L1+L2"}
	pen := kinds[btoi(l.L1 != 0)+2*btoi(l.L2 != 0)]
	args.Append(v.choice("penalty", key("penalty"), label+"activity penalty", kinds, nil, pen, func(s string) {
		set("penalty", func(l *spec.Layer) {
			l1, l2 := strings.Contains(s, "L1"), strings.Contains(s, "L2")
			l.L1, l.L2 = keepOr(l.L1, l1), keepOr(l.L2, l2)
		})
	}))
	rate := func(name string, val float64, change func(*spec.Layer, float64)) {
		args.Append(v.text(name, key(name), label+name+" rate", formatNum(val), func(t string) {
			// A rate that is no number is -1, which the spec refuses in words.
			f, err := strconv.ParseFloat(strings.TrimSpace(t), 64)
			if err != nil {
				f = -1
			}
			set(name, func(l *spec.Layer) { change(l, f) })
		}))
	}
	if l.L1 != 0 {
		rate("l1", l.L1, func(l *spec.Layer, f float64) { l.L1 = f })
	}
	if l.L2 != 0 {
		rate("l2", l.L2, func(l *spec.Layer, f float64) { l.L2 = f })
	}
	code := dom.Create("label")
	code.SetClass("inline", true)
	radio := dom.Create("input")
	radio.SetAttr("type", "radio")
	radio.SetAttr("name", "editor-code")
	radio.SetAttr("data-key", key("code"))
	radio.SetAttr("aria-label", label+"is the code")
	radio.SetProp("checked", i == d.Code)
	radio.SetProp("disabled", !v.enabled)
	radio.On("change", func(dom.Event) {
		c := d.Clone()
		c.Code = i
		v.edit(c, key("code"))
	})
	code.Append(radio)
	code.V.Call("append", " code")
	args.Append(code)

	tools := dom.Create("span")
	tools.SetClass("layer-tools", true)
	up := v.button("↑", key("up"), "Move layer "+strconv.Itoa(i+1)+" up", func() { v.edit(MoveLayer(d, i, -1), strconv.Itoa(i-1)+":up") })
	up.SetProp("disabled", !v.enabled || i == 0)
	down := v.button("↓", key("down"), "Move layer "+strconv.Itoa(i+1)+" down", func() { v.edit(MoveLayer(d, i, 1), strconv.Itoa(i+1)+":down") })
	down.SetProp("disabled", !v.enabled || i == len(d.Layers)-1)
	remove := v.button("✕", key("remove"), "Remove layer "+strconv.Itoa(i+1), func() {
		v.edit(RemoveLayer(d, i), strconv.Itoa(min(i, len(d.Layers)-2))+":remove")
	})
	remove.SetProp("disabled", !v.enabled || len(d.Layers) == 1)
	add := v.button("+", key("add"), "Add a layer after layer "+strconv.Itoa(i+1), func() {
		v.edit(InsertLayer(d, i+1, KindFor(ShapeBefore(d, p, i+1))), strconv.Itoa(i+1)+":kind")
	})
	tools.Append(up, down, remove, add)

	out := dom.Create("span")
	out.SetClass("layer-out", true)
	if i < len(p.Layers) {
		lp := p.Layers[i]
		out.SetText("→ " + strings.ReplaceAll(dims(lp.Out), ",", "×") + " · " + numfmt.Thousands(lp.Params) + " params")
		out.SetAttr("title", lp.Name)
	}
	li.Append(num, kind, out, tools, args)
	if se != nil && se.Layer == i+1 {
		li.SetClass("bad", true)
		msg := dom.Create("p")
		msg.SetClass("layer-error", true)
		msg.SetAttr("id", "layer-error-"+strconv.Itoa(i+1))
		msg.SetText(capitalize(se.Msg) + ".")
		li.Append(msg)
		for _, el := range args.QueryAll("select, input") {
			el.SetAttr("aria-describedby", "layer-error-"+strconv.Itoa(i+1))
		}
	}
	return li
}

func (v *editorView) choice(name, key, aria string, options []string, labels map[string]string, val string, change func(string)) dom.Element {
	lab := dom.Create("label")
	sel := dom.Create("select")
	for _, o := range options {
		opt := dom.Create("option")
		opt.SetAttr("value", o)
		if t, ok := labels[o]; ok {
			opt.SetText(t)
		} else {
			opt.SetText(o)
		}
		sel.Append(opt)
	}
	sel.SetValue(val)
	v.field(lab, sel, name, key, aria)
	sel.On("change", func(dom.Event) { change(sel.Value()) })
	return lab
}

func (v *editorView) number(name, key, aria string, val, lo, hi int, change func(int)) dom.Element {
	lab := dom.Create("label")
	in := dom.Create("input")
	in.SetAttr("type", "number")
	in.SetAttr("min", strconv.Itoa(lo))
	in.SetAttr("max", strconv.Itoa(hi))
	in.SetAttr("step", "1")
	in.SetAttr("inputmode", "numeric")
	in.SetValue(strconv.Itoa(val))
	v.field(lab, in, name, key, aria)
	// A value the spec refuses goes to it all the same, so its error is
	// pinned on the layer like any other; one that is no number is 0.
	in.On("change", func(dom.Event) {
		n, err := strconv.Atoi(strings.TrimSpace(in.Value()))
		if err != nil {
			n = 0
		}
		change(n)
	})
	return lab
}

func (v *editorView) text(name, key, aria, val string, change func(string)) dom.Element {
	lab := dom.Create("label")
	in := dom.Create("input")
	in.SetAttr("type", "text")
	in.SetAttr("size", "8")
	in.SetAttr("spellcheck", "false")
	in.SetValue(val)
	v.field(lab, in, name, key, aria)
	in.On("change", func(dom.Event) { change(in.Value()) })
	return lab
}

// field labels a control and marks it for the focus to come back to.
func (v *editorView) field(lab, control dom.Element, name, key, aria string) {
	control.SetAttr("data-key", key)
	control.SetAttr("aria-label", aria)
	control.SetProp("disabled", !v.enabled)
	if name != "" {
		lab.V.Call("append", name+" ")
	}
	lab.Append(control)
}

func (v *editorView) button(text, key, aria string, click func()) dom.Element {
	b := dom.Create("button")
	b.SetAttr("type", "button")
	b.SetAttr("data-key", key)
	b.SetAttr("aria-label", aria)
	b.SetAttr("title", aria)
	b.SetText(text)
	b.SetProp("disabled", !v.enabled)
	b.On("click", func(dom.Event) { click() })
	return b
}

// dims writes a shape as the spec's text does: 28,28,1.
func dims(s []int) string {
	parts := make([]string, len(s))
	for i, d := range s {
		parts[i] = strconv.Itoa(d)
	}
	return strings.Join(parts, ",")
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// keepOr keeps a penalty's rate when it stays on, gives a new one the
// post's 1e-4, and 0 when it goes.
func keepOr(rate float64, on bool) float64 {
	switch {
	case !on:
		return 0
	case rate != 0:
		return rate
	}
	return 1e-4
}
