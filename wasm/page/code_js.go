//go:build js && wasm

package page

import (
	"syscall/js"

	"aeplay/nn/catalog"
	"aeplay/nn/export"
	"aeplay/wasm/dom"
)

// codeView is the model on show as code: the Keras text, kept up to date
// with the model and the settings while its panel is open (written when
// it opens: most readers never open it, and the first load need not pay
// for it), a copy button and the PyTorch script's download.
type codeView struct {
	panel, pre, note dom.Element
	entry            catalog.Entry
	recipe           export.Recipe
	text             string
	stale            bool // the text is not the entry's and recipe's yet
}

func newCodeView() *codeView {
	v := &codeView{panel: dom.ByID("code-panel"), pre: dom.ByID("keras-code"), note: dom.ByID("code-note")}
	dom.ByID("copy-code").On("click", func(dom.Event) { v.copy() })
	dom.ByID("download-pytorch").On("click", func(dom.Event) { v.downloadPyTorch() })
	v.panel.On("toggle", func(dom.Event) { v.write() })
	return v
}

// recipeOf is the run the code reproduces: the settings' recipe, with the
// noise only for a model trained on noisy input.
func recipeOf(s Settings, e catalog.Entry) export.Recipe {
	r := export.Recipe{Epochs: s.Epochs, Batch: s.Batch, LR: s.LR}
	if e.Noise > 0 {
		r.Noise, r.NoiseKind = s.Noise, s.NoiseKind
	}
	return r
}

// show follows the entry and the settings' recipe.
func (v *codeView) show(e catalog.Entry, s Settings) {
	r := recipeOf(s, e)
	if v.entry.Name == e.Name && v.entry.Spec.String() == e.Spec.String() && v.recipe == r && v.entry.Name != "" {
		return
	}
	v.entry, v.recipe, v.stale = e, r, true
	v.write()
}

// write writes the code, if the panel is open and the text is not current.
func (v *codeView) write() {
	if !v.stale || !v.panel.Prop("open").Truthy() {
		return
	}
	text, err := export.Keras(v.entry.Spec, v.recipe)
	if err != nil {
		text = "# " + err.Error()
	}
	v.text, v.stale = text, false
	v.pre.SetText(text)
	v.note.SetText("")
}

func (v *codeView) copy() {
	v.write()
	copyText(v.text, v.pre, v.note.SetText)
}

// copyText puts text on the clipboard, or, where the browser has no
// clipboard for the page or refuses, selects el (which shows the text) for
// Ctrl+C; say tells the reader which happened.
func copyText(text string, el dom.Element, say func(string)) {
	selectIt := func() {
		if el.V.Get("select").Type() == js.TypeFunction { // a text area
			el.V.Call("select")
			return
		}
		js.Global().Call("getSelection").Call("selectAllChildren", el.V)
	}
	clip := js.Global().Get("navigator").Get("clipboard")
	if clip.IsUndefined() {
		// Without the clipboard API (an http page): select the text for Ctrl+C.
		selectIt()
		say("Selected: press Ctrl+C (⌘C) to copy.")
		return
	}
	var done, failed js.Func
	done = js.FuncOf(func(js.Value, []js.Value) any {
		say("Copied.")
		done.Release()
		failed.Release()
		return nil
	})
	failed = js.FuncOf(func(js.Value, []js.Value) any {
		selectIt()
		say("The browser refused to copy: the text is selected, press Ctrl+C (⌘C).")
		done.Release()
		failed.Release()
		return nil
	})
	clip.Call("writeText", text).Call("then", done, failed)
}

func (v *codeView) downloadPyTorch() {
	text, err := export.PyTorch(v.entry.Spec, v.recipe, v.entry.Name)
	if err != nil {
		v.note.SetText(err.Error())
		return
	}
	name := v.entry.FileName() + ".py"
	download(name, []byte(text))
	v.note.SetText("Saved " + name + ": python3 " + name + " WEIGHTS.safetensors --data DIR [--epochs N]")
}
