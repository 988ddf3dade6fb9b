//go:build js && wasm

package page

import (
	"slices"
	"strings"
	"syscall/js"

	"aeplay/wasm/dom"
)

// embedView is the Embed dialog: the controls the embed shows, its theme,
// autostart and a weights file's address; the snippet for exactly what is
// on show with those choices, a copy button, and a live 640×420 preview
// of the snippet's page.
type embedView struct {
	dialog, controls, theme, autostart, weights, weightsNote, snippet, note, preview dom.Element

	s       Settings // what is on show
	title   string
	choice  EmbedChoice
	src     string // the preview's address, to load it only when it changes
	pending js.Value
	reload  js.Func
}

func newEmbedView() *embedView {
	v := &embedView{dialog: dom.ByID("embed-dialog"), controls: dom.ByID("embed-controls"), theme: dom.ByID("embed-theme"),
		autostart: dom.ByID("embed-autostart"), weights: dom.ByID("embed-weights"), weightsNote: dom.ByID("embed-weights-note"),
		snippet: dom.ByID("embed-snippet"), note: dom.ByID("embed-note"), preview: dom.ByID("embed-preview")}
	for _, name := range Controls {
		lab := dom.Create("label")
		lab.SetClass("inline", true)
		box := dom.Create("input")
		box.SetAttr("type", "checkbox")
		box.SetAttr("value", name)
		box.On("change", func(dom.Event) { v.read() })
		lab.Append(box)
		lab.V.Call("append", " "+name)
		v.controls.Append(lab)
	}
	v.theme.On("change", func(dom.Event) { v.read() })
	v.autostart.On("change", func(dom.Event) { v.read() })
	v.weights.On("change", func(dom.Event) { v.read() })
	dom.ByID("embed-open").On("click", func(dom.Event) { v.open() })
	dom.ByID("embed-close").On("click", func(dom.Event) { v.dialog.V.Call("close") })
	dom.ByID("embed-copy").On("click", func(dom.Event) { copyText(v.snippet.Value(), v.snippet, v.note.SetText) })
	// The preview follows the choices a moment after the last one, so a
	// run of clicks loads it once.
	v.reload = js.FuncOf(func(js.Value, []js.Value) any {
		v.pending = js.Undefined()
		v.loadPreview()
		return nil
	})
	v.dialog.On("close", func(dom.Event) {
		v.preview.SetAttr("src", "about:blank") // its workers end with it
		v.src = ""
	})
	return v
}

// show follows the model and settings on show.
func (v *embedView) show(s Settings, title string) {
	v.s, v.title = s, title
	if v.dialog.Prop("open").Bool() {
		v.render()
	}
}

func (v *embedView) open() {
	v.choice = EmbedChoiceOf(v.s)
	for _, box := range v.controls.QueryAll("input") {
		box.SetProp("checked", slices.Contains(v.choice.Show, box.Attr("value")))
	}
	v.theme.SetValue(v.choice.Theme)
	v.autostart.SetProp("checked", v.choice.Autostart)
	v.weights.SetValue(v.choice.Weights)
	v.note.SetText("")
	v.dialog.V.Call("showModal")
	v.render()
}

// read takes the dialog's choices.
func (v *embedView) read() {
	c := EmbedChoice{Theme: v.theme.Value(), Autostart: v.autostart.Prop("checked").Bool()}
	for _, box := range v.controls.QueryAll("input") {
		if box.Prop("checked").Bool() {
			c.Show = append(c.Show, box.Attr("value"))
		}
	}
	w := strings.TrimSpace(v.weights.Value())
	v.weightsNote.SetText("")
	if msg := weightsURLProblem(w); w != "" && msg != "" {
		v.weightsNote.SetText(capitalize(msg) + ".")
		w = ""
	}
	c.Weights = w
	v.choice = c
	v.render()
}

func (v *embedView) render() {
	loc := js.Global().Get("location")
	base := loc.Get("origin").String() + loc.Get("pathname").String()
	e := Embedded(v.s, v.choice)
	v.snippet.SetValue(Snippet(base, e, v.title))
	src := base + "#" + e.Hash()
	if src == v.src {
		return
	}
	v.src = src
	if !v.pending.IsUndefined() && !v.pending.IsNull() {
		js.Global().Call("clearTimeout", v.pending)
	}
	v.pending = js.Global().Call("setTimeout", v.reload, 400)
}

// loadPreview loads the snippet's page in a new frame: a hash change alone
// would not start it afresh.
func (v *embedView) loadPreview() {
	if !v.dialog.Prop("open").Bool() {
		return
	}
	fresh := dom.Create("iframe")
	for _, a := range []string{"id", "title", "sandbox", "width", "height"} {
		fresh.SetAttr(a, v.preview.Attr(a))
	}
	fresh.SetAttr("src", v.src)
	v.preview.V.Call("replaceWith", fresh.V)
	v.preview = fresh
}
