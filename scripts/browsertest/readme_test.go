package browsertest

import (
	"testing"
	"time"
)

// TestReadmeScreenshots takes the README's pictures (make screenshots
// copies them to web/img): the full page on the pretrained conv model, and
// the embed inside a host page.
func TestReadmeScreenshots(t *testing.T) {
	host := []byte(`<!doctype html><title>A blog post</title><link rel="icon" href="data:,">
<body style="font: 16px/1.5 Georgia, serif; max-width: 700px; margin: 24px auto; color: #222">
<h1 style="font-size: 1.4em">What an autoencoder learns</h1>
<p>Squeeze a digit through 128 numbers and back. Press Train to watch a convolutional autoencoder learn, right here in the post.</p>
<iframe id="widget" src="/#model=conv&embed=1" width="640" height="420" style="border: 1px solid #ddd; border-radius: 6px"></iframe>
<p>It trains in your browser, in a web worker; nothing leaves the page.</p>`)
	ts := serve(t, map[string][]byte{"/web/host.html": host})
	p := open(t, ts.URL+"/#model=conv", 1280, 860, 1)
	p.waitIdle()
	p.screenshot("readme-playground")
	h := open(t, ts.URL+"/web/host.html", 760, 700, 1)
	h.waitFor("the widget", `(() => { const d = document.getElementById("widget").contentDocument; return d && d.body && d.body.dataset.state === "idle" })()`, 30*time.Second)
	h.screenshot("readme-embed")
}
