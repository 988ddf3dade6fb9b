package page

import (
	"slices"
	"strings"
)

// EmbedChoice is what the Embed dialog asks: the controls an embed shows
// beside Train, its theme, whether it trains on opening, and the address of
// a weights file to show.
type EmbedChoice struct {
	Show      []string // of Controls
	Theme     string   // "", "light" or "dark"
	Autostart bool
	Weights   string
}

// EmbedChoiceOf is the dialog's starting point for the settings on show:
// an embed's defaults, or what an embed already on show was told.
func EmbedChoiceOf(s Settings) EmbedChoice {
	c := EmbedChoice{Theme: s.Theme, Autostart: s.Autostart, Weights: s.Weights}
	for _, name := range Controls {
		if s.Embed && !s.Hidden(name) || !s.Embed && slices.Contains(EmbedControls, name) {
			c.Show = append(c.Show, name)
		}
	}
	return c
}

// Embedded is the settings of an embed of s as the choice says: the same
// model and recipe, the controls named in Show and no others.
func Embedded(s Settings, c EmbedChoice) Settings {
	e := s
	e.Embed, e.Theme, e.Autostart, e.Weights = true, c.Theme, c.Autostart, c.Weights
	e.Show, e.Hide = nil, nil
	e.Workers = 0 // the reader's machine decides
	for _, name := range Controls {
		shown := slices.Contains(c.Show, name)
		switch def := slices.Contains(EmbedControls, name); {
		case shown && !def:
			e.Show = append(e.Show, name)
		case !shown && def:
			e.Hide = append(e.Hide, name)
		}
	}
	return e
}

// embedSandbox is what the embed needs of its frame: scripts and its own
// origin (workers, IndexedDB), downloads (Save weights) and a way out to
// the full playground.
const embedSandbox = "allow-scripts allow-same-origin allow-downloads allow-popups allow-popups-to-escape-sandbox"

// Snippet is the iframe a blogger pastes: pageURL is the playground's
// address without its hash.
func Snippet(pageURL string, s Settings, title string) string {
	src := pageURL + "#" + s.Hash()
	return `<iframe src="` + attr(src) + `" sandbox="` + embedSandbox + `" style="border:0;width:100%;max-width:640px;height:420px" loading="lazy" title="` +
		attr("Autoencoder Playground: "+title) + `"></iframe>`
}

// attr escapes text for a double-quoted HTML attribute.
func attr(s string) string {
	return strings.NewReplacer("&", "&amp;", `"`, "&quot;", "<", "&lt;", ">", "&gt;").Replace(s)
}
