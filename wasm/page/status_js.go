//go:build js && wasm

package page

import (
	"fmt"
	"strconv"

	"aeplay/internal/numfmt"
	"aeplay/wasm/dom"
	"aeplay/wasm/protocol"
)

// statusLine is the one-line status under the controls, announced to
// screen readers (aria-live).
type statusLine struct{ el dom.Element }

func newStatusLine() statusLine { return statusLine{dom.ByID("status")} }

func (s statusLine) say(msg string) { s.el.SetText(msg) }

// alertBox is the page's error box: a message, one action when an action
// is what helps (Reset, or downloading a file set aside), and a close
// button.
type alertBox struct {
	box, msg, action dom.Element
	do               func()
}

func newAlertBox() *alertBox {
	a := &alertBox{box: dom.ByID("alert"), msg: dom.ByID("alert-msg"), action: dom.ByID("alert-action")}
	a.action.On("click", func(dom.Event) {
		if a.do != nil {
			a.do()
		}
	})
	dom.ByID("alert-close").On("click", func(dom.Event) { a.hide() })
	return a
}

// show says msg, with an action button labelled label unless do is nil.
func (a *alertBox) show(msg, label string, do func()) {
	a.msg.SetText(msg)
	a.do = do
	a.action.SetText(label)
	a.action.SetHidden(do == nil)
	a.box.SetHidden(false)
}

func (a *alertBox) hide() { a.box.SetHidden(true) }

// sourceLine says what the weights on show are: pretrained, loaded from a
// file, or trained here (and whether they are kept in this browser).
type sourceLine struct{ el dom.Element }

func newSourceLine() sourceLine { return sourceLine{dom.ByID("source")} }

// render: running is set while a run of runEpochs is under way.
func (s sourceLine) render(r protocol.Ready, trained, running bool, runEpochs int) {
	w := r.Weights
	epochs, size := atoiOr(w["epochs"], 0), atoiOr(w["train_size"], 0)
	valLoss := ""
	if v, err := strconv.ParseFloat(w["val_loss"], 64); err == nil {
		valLoss = " · val loss " + numfmt.Loss(v)
	}
	kept := ""
	if r.Kept {
		kept = " · kept in this browser (Reset forgets it)"
	}
	var txt string
	switch {
	case w["source"] == "untrained":
		txt = "Untrained: random initial weights"
	case w["source"] == "loaded" || w["file"] != "":
		txt = "Loaded from " + w["file"]
		if epochs > 0 {
			txt += fmt.Sprintf(": %s on %s digits", plural(epochs, "epoch"), numfmt.Thousands(size))
		}
		txt += valLoss + kept
	case !trained:
		txt = fmt.Sprintf("Pretrained: %s on %s digits", plural(epochs, "epoch"), numfmt.Thousands(size)) + valLoss
	default:
		what := "digits"
		if d := w["train_data"]; d != "" {
			what = "images of " + d
		}
		txt = fmt.Sprintf("Trained here: %s on %s %s", plural(epochs, "epoch"), numfmt.Thousands(size), what)
		if epochs == 0 { // stopped before the first epoch's end
			txt = fmt.Sprintf("Trained here: part of an epoch on %s %s", numfmt.Thousands(size), what)
		}
		if running {
			txt = fmt.Sprintf("Training here: %s of %s on %s %s", plural(epochs, "epoch"), numfmt.Thousands(runEpochs), numfmt.Thousands(size), what)
		}
		txt += valLoss + kept
	}
	s.el.SetText(txt)
	s.el.SetClass("trained", trained || w["file"] != "")
}

func atoiOr(s string, def int) int {
	if n, err := strconv.Atoi(s); err == nil {
		return n
	}
	return def
}
