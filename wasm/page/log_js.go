//go:build js && wasm

package page

import (
	"strings"

	"aeplay/wasm/dom"
)

// logView is the Keras-like training log: the last maxLogLines lines.
type logView struct {
	el    dom.Element
	lines []string
}

const maxLogLines = 200

func newLogView() *logView { return &logView{el: dom.ByID("log")} }

func (l *logView) clear() {
	l.lines = nil
	l.el.SetText("")
}

func (l *logView) add(line string) {
	l.lines = append(l.lines, line)
	if len(l.lines) > maxLogLines {
		l.lines = l.lines[len(l.lines)-maxLogLines:]
	}
	l.el.SetText(strings.Join(l.lines, "\n"))
	l.el.SetProp("scrollTop", l.el.Prop("scrollHeight"))
}
