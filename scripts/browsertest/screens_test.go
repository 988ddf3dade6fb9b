package browsertest

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// hostPage is a plain white blog page with the README's embed snippet in
// it (the README's snippet), to see the embed as a reader of a blog does.
const hostPage = `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>A blog</title><link rel="icon" href="data:,">
<style>body{background:#fff;color:#222;font:17px/1.55 Georgia,serif;max-width:42rem;margin:2rem auto;padding:0 1rem}</style></head>
<body><h1>What an autoencoder learns</h1><p>Press Train below: the network trains in your browser.</p>
%s
<p>The reconstructions sharpen as the loss falls.</p></body></html>`

// TestScreenshots saves the page and the embed at a desktop's and a phone's
// size, light and dark, and the embed in a white host page, as
// test-artifacts/screen-*.png: the pictures to look at before calling a
// change to the page done. Each also checks that nothing scrolls sideways.
func TestScreenshots(t *testing.T) {
	ts := serve(t, map[string][]byte{"/host.html": fmt.Appendf(nil, hostPage, readmeSnippet(t))})
	for _, size := range []struct {
		name string
		w, h int
		dpr  float64
	}{{"desktop", 1280, 900, 1}, {"phone", 390, 844, 3}} {
		for _, scheme := range []string{"light", "dark"} {
			for _, v := range []struct{ name, hash string }{{"page", "#model=conv"}, {"embed", "#model=conv&embed=1"}} {
				if v.name == "embed" && scheme == "dark" {
					continue // the embed's dark palette is the page's; TestAccessibility checks its contrast
				}
				name := fmt.Sprintf("screen-%s-%s-%s", v.name, size.name, scheme)
				t.Run(name, func(t *testing.T) {
					p := open(t, "about:blank", size.w, size.h, size.dpr)
					if _, err := chromedp.Call(p.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}}}); err != nil {
						t.Fatal(err)
					}
					p.visit(ts.URL + "/" + v.hash)
					p.waitIdle()
					p.fullScreenshot(name)
					if eval[bool](p, `document.documentElement.scrollWidth > innerWidth`) {
						t.Errorf("%s scrolls sideways", name)
					}
				})
			}
		}
	}
	for _, size := range []struct {
		name string
		w, h int
	}{{"desktop", 1280, 900}, {"phone", 390, 844}} {
		t.Run("host-"+size.name, func(t *testing.T) {
			p := open(t, ts.URL+"/host.html", size.w, size.h, 2)
			p.waitFor("the embed's grid", `document.querySelector("iframe")?.contentDocument?.body?.dataset.state === "idle"`, 30*time.Second)
			p.fullScreenshot("screen-embed-in-host-" + size.name)
			if eval[bool](p, `document.documentElement.scrollWidth > innerWidth`) {
				t.Errorf("the host page with the embed scrolls sideways at %d px", size.w)
			}
			// The embed hides its overflow: what does not fit is cut off.
			if fit := eval[string](p, `(() => { const d = document.querySelector("iframe").contentDocument.documentElement, w = d.ownerDocument.defaultView;
				return d.scrollWidth <= w.innerWidth && d.scrollHeight <= w.innerHeight ? "" : d.scrollWidth + "×" + d.scrollHeight + " in " + w.innerWidth + "×" + w.innerHeight })()`); fit != "" {
				t.Errorf("at %d px the embed does not fit its frame: %s", size.w, fit)
			}
		})
	}
}

// fullScreenshot saves the whole page, not only the viewport.
func (p *page) fullScreenshot(name string) {
	b, err := chromedp.Run(p.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		p.t.Logf("screenshot %s: %v", name, err)
		return
	}
	os.WriteFile(filepath.Join(root, "test-artifacts", name+".png"), b, 0o644)
}

// readmeSnippet is the README's embed snippet, pointed at the test server.
func readmeSnippet(t *testing.T) string {
	b, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`<iframe src="https://YOUR-HOST/autoencoder-playground/[^\n]*</iframe>`).Find(b)
	if m == nil {
		t.Fatal("the README has no embed snippet")
	}
	return strings.Replace(string(m), "https://YOUR-HOST/autoencoder-playground/", "/", 1)
}
