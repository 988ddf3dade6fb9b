//go:build js && wasm

package page

import "aeplay/wasm/dom"

// logView is the Keras-like training log: the last maxLogLines lines. It is
// an ARIA log: each line is appended as its own text node, so a screen
// reader announces the new line, not the whole log again.
type logView struct {
	el    dom.Element
	lines int
}

const maxLogLines = 200

func newLogView() *logView { return &logView{el: dom.ByID("log")} }

func (l *logView) clear() {
	l.lines = 0
	l.el.SetText("")
}

func (l *logView) add(line string) {
	if l.lines > 0 {
		line = "\n" + line
	}
	l.el.V.Call("append", line)
	l.lines++
	if l.lines > maxLogLines {
		l.el.V.Call("removeChild", l.el.V.Get("firstChild"))
		// The new first line loses the newline it began with.
		first := l.el.V.Get("firstChild")
		first.Set("data", first.Get("data").String()[1:])
		l.lines--
	}
	l.el.SetProp("scrollTop", l.el.Prop("scrollHeight"))
}
