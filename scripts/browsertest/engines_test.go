package browsertest

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"aeplay/scripts/internal/browser"
	"aeplay/scripts/internal/webdriver"
)

// chromium is Chromium behind the webdriver.Browser interface, so that the
// engine flows run the same code in all three engines.
type chromium struct {
	ctx    context.Context
	cancel context.CancelFunc
	mu     sync.Mutex
	errs   []string
}

func startChromium(dir string, o webdriver.Options) (webdriver.Browser, error) {
	ctx, cancel := browser.New(dir, o.Width, o.Height)
	c := &chromium{ctx: ctx, cancel: cancel}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(int64(o.Width), int64(o.Height), chromedp.EmulateScale(o.DPR))); err != nil {
		cancel()
		return nil, err
	}
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleError || m.IsException() {
				c.mu.Lock()
				c.errs = append(c.errs, m.String())
				c.mu.Unlock()
			}
		}
	}()
	return c, nil
}

func (c *chromium) Name() string              { return "chromium" }
func (c *chromium) Navigate(url string) error { return chromedp.Do(c.ctx, chromedp.Navigate(url)) }
func (c *chromium) Eval(expr string, out any) error {
	s, err := chromedp.Run(c.ctx, chromedp.Evaluate[string](webdriver.Wrap(expr), chromedp.EvalAwaitPromise))
	if err != nil || out == nil {
		return err
	}
	return jsonUnmarshal(s, out)
}
func (c *chromium) Screenshot() ([]byte, error) {
	return chromedp.Run(c.ctx, chromedp.CaptureScreenshot())
}
func (c *chromium) Errors() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string{}, c.errs...)
}
func (c *chromium) Close() { c.cancel() }

// engines are the three the page must work in.
var engines = []struct {
	name  string
	start func(string, webdriver.Options) (webdriver.Browser, error)
}{
	{"chromium", startChromium},
	{"firefox", webdriver.Firefox},
	{"webkit", webdriver.WebKit},
}

// flow drives one engine through the page's main flows.
type flow struct {
	t    *testing.T
	b    webdriver.Browser
	base string
	left int // console errors logged up to the last page's departure, checked or dropped
}

func (f *flow) eval(expr string, out any) {
	f.t.Helper()
	if err := f.b.Eval(expr, out); err != nil {
		f.t.Fatalf("%s: %v", f.b.Name(), err)
	}
}

// visit loads a fresh page (about:blank first, so a hash-only change
// reloads too). The page on show is checked for errors first; what it
// logs while it is torn down is dropped: that is no reader's (Firefox
// reports the loads its workers had under way as failed, the service
// worker's among them).
func (f *flow) visit(path string) {
	f.t.Helper()
	f.noErrors("before leaving the page")
	if err := f.b.Navigate("about:blank"); err != nil {
		f.t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	f.left = len(f.b.Errors())
	if err := f.b.Navigate(f.base + path); err != nil {
		f.t.Fatalf("%s: loading %s: %v", f.b.Name(), path, err)
	}
}

func (f *flow) waitFor(what, cond string, timeout time.Duration) {
	f.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		var ok bool
		err := f.b.Eval("!!("+cond+")", &ok)
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			var page string
			f.b.Eval(`[document.body && document.body.dataset.state, document.getElementById("status")?.textContent, document.getElementById("alert-msg")?.textContent].join(" | ")`, &page)
			if png, err := f.b.Screenshot(); err == nil {
				os.WriteFile(filepath.Join(root, "test-artifacts", "failed-"+f.b.Name()+".png"), png, 0o644)
			}
			f.t.Fatalf("%s: waiting for %s: %v\npage: %s\nconsole: %q", f.b.Name(), what, err, page, f.b.Errors())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func (f *flow) click(id string) { f.eval(`document.getElementById("`+id+`").click()`, nil) }

// inked is how many pixels of the grid's row r are lit.
func (f *flow) inked(row int) int {
	var n int
	f.eval(fmt.Sprintf(`(() => { const c = document.querySelector('#grid canvas[data-row="%d"]'); const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
		let n = 0; for (let i = 0; i < d.length; i += 4) if (d[i] > 60) n++; return n })()`, row), &n)
	return n
}

// rowHash sums the grid's row r, pixel by pixel, to compare two drawings.
func (f *flow) rowHash(row int) string {
	var s string
	f.eval(fmt.Sprintf(`(() => { const c = document.querySelector('#grid canvas[data-row="%d"]'); const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
		let h = 0; for (let i = 0; i < d.length; i += 4) h = (h * 31 + d[i]) %% 1000000007; return c.width + "x" + c.height + ":" + h })()`, row), &s)
	return s
}

func (f *flow) noErrors(when string) {
	f.t.Helper()
	if errs := f.b.Errors()[f.left:]; len(errs) > 0 {
		f.t.Errorf("%s, %s: console errors %q", f.b.Name(), when, errs)
	}
	var alert string
	f.eval(`document.getElementById("alert")?.hidden === false ? document.getElementById("alert-msg").textContent : ""`, &alert)
	if alert != "" {
		f.t.Errorf("%s, %s: the page's alert says %q", f.b.Name(), when, alert)
	}
}

var (
	beforeLoss = regexp.MustCompile(`Before training - val_loss: ([0-9.]+)`)
	epochLoss  = regexp.MustCompile(`Epoch 1/1 .* - val_loss: ([0-9.]+)`)
)

// quickRun trains a model for one short epoch and returns its val loss as
// the log prints it, checking it fell from the fresh model's. It goes to
// the model by the address in the page on show (a reader's edit of the
// address, or Back): the workers that trained the model before train this
// one, and the val loss must still be a fresh page's, the same in every
// engine.
func (f *flow) quickRun(model string) string {
	f.t.Helper()
	hash := "model=" + model + "&epochs=1&samples=512&val=256&batch=64&seed=1&workers=2"
	f.eval(`(() => { location.hash = `+strconv.Quote(hash)+`; return true })()`, nil)
	// The switch empties the log; the address's recipe must survive it.
	f.waitFor(model+" to show", `document.body.dataset.state === "idle" && document.getElementById("log").textContent === "" &&
		["epochs", "batch", "seed"].map(id => document.getElementById(id).value).join(" ") === "1 64 1"`, 60*time.Second)
	f.click("train")
	f.waitFor(model+"'s run", `document.getElementById("log").textContent.includes("Epoch 1/1") && document.body.dataset.state === "idle"`, 120*time.Second)
	var log string
	f.eval(`document.getElementById("log").textContent`, &log)
	b, e := beforeLoss.FindStringSubmatch(log), epochLoss.FindStringSubmatch(log)
	if b == nil || e == nil {
		f.t.Fatalf("%s, %s: the log lacks the val losses: %q", f.b.Name(), model, log)
	}
	before, _ := strconv.ParseFloat(b[1], 64)
	after, _ := strconv.ParseFloat(e[1], 64)
	if !(after < before) {
		f.t.Errorf("%s, %s: val loss %v after an epoch, %v before", f.b.Name(), model, after, before)
	}
	return e[1]
}

// TestEveryEngine runs the page's main flows in Firefox and WebKit, and
// those without a Chromium-only test of their own in Chromium too: the
// page loads without a console error and draws the pretrained
// grid; an address reproduces its settings; a quick run of every model
// trains and its val loss falls, to the same value in every engine (same
// seed, same worker count: the arithmetic is the same WebAssembly); pause
// and resume; the worker count measured on auto; the variational autoencoder's manifold; t-SNE's frames and
// its Stop; the denoiser's rows; saved weights load back to identical
// predictions; the editor pins an error and builds an edit; every layer of
// a digit is drawn; the Embed dialog's preview runs; the embed fits its frame; a damaged data file is
// said in words. It prints the val losses side by side.
func TestEveryEngine(t *testing.T) {
	host := []byte(`<!doctype html><title>host</title><link rel="icon" href="data:,"><iframe id="w" src="/#model=conv&embed=1&workers=2" width="640" height="420" style="border:0"></iframe>`)
	ts := serve(t, map[string][]byte{"/host.html": host})
	broken := serve(t, map[string][]byte{"/web/data/sample-images-idx3-ubyte.gz": []byte("<html>404</html>")})
	// The seed's models, the 2-D code model, the sparse one (its penalty in
	// the loss), a model named by its spec in the address (the "your
	// model" path), a denoiser of masking noise, and the variational
	// autoencoder (its z drawn in training and validation, seeded).
	models := []string{"simple", "deep", "conv", "denoise", "latent2d", "sparse", "vae", "custom", "masked"}
	address := map[string]string{"custom": "input(784);dense(16,linear)*;dense(784,linear);loss(mse)",
		"masked": "input(784);dense(32,relu)*;dense(784,sigmoid);noise(mask,0.3);loss(bce)"}
	losses := map[string]map[string]string{}
	var mu sync.Mutex
	for _, e := range engines {
		if only := os.Getenv("AEPLAY_ENGINE"); only != "" && only != e.name {
			continue
		}
		t.Run(e.name, func(t *testing.T) {
			b, err := e.start(t.TempDir(), webdriver.Options{Width: 1280, Height: 900, DPR: 1})
			if err != nil {
				t.Fatal(err)
			}
			defer b.Close()
			f := &flow{t: t, b: b, base: ts.URL}

			f.visit("/#model=simple&workers=2")
			f.waitFor("the pretrained grid", `document.body.dataset.state === "idle"`, 60*time.Second)
			if n := f.inked(2); n < 500 {
				t.Errorf("%s: the pretrained reconstructions are nearly blank (%d lit pixels)", e.name, n)
			}
			f.noErrors("first load")
			// The loader's worker compiled the code, off the page's thread,
			// and reported the download's progress to the page.
			var compiled string
			if f.eval(`document.body.dataset.compiled + " " + document.body.dataset.codeLoaded`, &compiled); !regexp.MustCompile(`^worker \d{7,}$`).MatchString(compiled) {
				t.Errorf("%s: the code compiled in the %q (the worker, with the bytes it reported, was expected)", e.name, compiled)
			}

			f.visit("/#model=deep&epochs=7&batch=64&lr=0.002&seed=9&workers=2")
			f.waitFor("the deep model", `document.body.dataset.state === "idle"`, 60*time.Second)
			var got []string
			f.eval(`["epochs", "batch", "lr", "seed"].map(id => document.getElementById(id).value).concat(document.querySelector("#model-tabs [aria-selected=true]").dataset.model)`, &got)
			if strings.Join(got, " ") != "7 64 0.002 9 deep" {
				t.Errorf("%s: the address's settings show as %q", e.name, got)
			}

			mine := map[string]string{}
			for _, m := range models {
				mine[m] = f.quickRun(cmp.Or(address[m], m))
			}
			mu.Lock()
			losses[e.name] = mine
			mu.Unlock()
			f.noErrors("the quick runs")
			if e.name == "chromium" {
				// The rest has a Chromium-only test each (TestPauseStepResumeStop,
				// TestDenoiseRows, TestSaveAndLoadWeights, TestEditor,
				// TestEmbedDialog, TestEmbed, TestBrokenDataIsShownInThePage).
				return
			}

			f.visit("/#model=simple&epochs=5&samples=20000&val=0&batch=32&workers=2")
			f.waitFor("the page", `document.body.dataset.state === "idle"`, 60*time.Second)
			f.click("train")
			f.waitFor("training", `document.body.dataset.state === "training"`, 60*time.Second)
			f.click("train")
			f.waitFor("paused", `document.body.dataset.state === "paused" && document.getElementById("status").textContent.startsWith("Paused")`, 30*time.Second)
			f.click("train")
			f.waitFor("resumed", `document.body.dataset.state === "training"`, 30*time.Second)
			f.click("stop")
			f.waitFor("stopped", `document.body.dataset.state === "idle"`, 30*time.Second)

			// The worker count on auto: batches of 8 of the simple model
			// measure fastest on 1 worker (TestWorkerCountMeasured), which
			// the run trains with and the header names.
			f.visit("/#model=simple&epochs=1&samples=1200&val=200&batch=8")
			f.waitFor("simple on auto", `document.body.dataset.state === "idle" && document.getElementById("workers").value === "0"`, 60*time.Second)
			f.click("train")
			f.waitFor("the measured run", `/Measured .*: training with 1 worker/.test(document.getElementById("log").textContent) && document.getElementById("log").textContent.includes("Epoch 1/1") && document.body.dataset.state === "idle"`, 120*time.Second)
			var why string
			f.eval(`document.getElementById("workers-why").textContent`, &why)
			if !strings.HasPrefix(why, "1 worker: ") {
				t.Errorf("%s: after measuring, the header says %q", e.name, why)
			}

			// The variational autoencoder's manifold, and t-SNE of the conv
			// codes: it animates, and Stop ends it where it is (the whole
			// run and its agreement are TestTSNE's, in Chromium).
			f.visit("/#model=vae&workers=2")
			f.waitFor("the VAE", `document.body.dataset.state === "idle"`, 60*time.Second)
			f.click("xtab-generate")
			f.waitFor("the manifold", `document.body.dataset.manifold === "225"`, 30*time.Second)
			f.visit("/#model=conv&workers=2")
			f.waitFor("conv", `document.body.dataset.state === "idle"`, 60*time.Second)
			f.click("xtab-map")
			f.click("map-tsne")
			f.waitFor("t-SNE's frames", `(/t-SNE: iteration (\d+)/.exec(document.getElementById("map-info").textContent) || [0, 0])[1] >= 10`, 90*time.Second)
			f.click("map-tsne")
			f.waitFor("t-SNE stopped", `document.body.dataset.tsne === "stopped" && document.getElementById("map-info").textContent.includes("stopped at iteration")`, 30*time.Second)
			f.noErrors("the manifold and t-SNE")

			f.visit("/#model=denoise&workers=2")
			f.waitFor("the denoiser", `document.body.dataset.state === "idle" && document.querySelectorAll("#grid canvas").length === 3`, 60*time.Second)
			for r := 0; r < 3; r++ {
				if n := f.inked(r); n < 300 {
					t.Errorf("%s: the denoiser's row %d is nearly blank (%d lit pixels)", e.name, r, n)
				}
			}

			// Save, Reset, load the file back: the same reconstructions. The
			// download is caught as the Blob the page hands the browser.
			f.visit("/#model=conv&workers=2")
			f.waitFor("conv, trained above and kept", `document.body.dataset.state === "idle" && document.getElementById("source").textContent.startsWith("Trained here")`, 60*time.Second)
			trained := f.rowHash(2)
			f.eval(`(() => { const make = URL.createObjectURL; URL.createObjectURL = b => { window.savedBlob = b; return make.call(URL, b) }; return true })()`, nil)
			f.click("save")
			f.waitFor("the saved file", `window.savedBlob instanceof Blob && window.savedBlob.size > 17000`, 20*time.Second)
			f.click("reset")
			f.waitFor("the pretrained weights", `document.body.dataset.state === "idle" && document.getElementById("source").textContent.startsWith("Pretrained")`, 30*time.Second)
			f.eval(`(() => { const dt = new DataTransfer(); dt.items.add(new File([window.savedBlob], "saved.safetensors")); const i = document.getElementById("load");
				i.files = dt.files; i.dispatchEvent(new Event("change", {bubbles: true})); return true })()`, nil)
			f.waitFor("the loaded file", `document.body.dataset.state === "idle" && document.getElementById("source").textContent.startsWith("Loaded from saved.safetensors")`, 30*time.Second)
			time.Sleep(300 * time.Millisecond)
			if back := f.rowHash(2); back != trained {
				t.Errorf("%s: the loaded weights draw %s, the saved ones drew %s", e.name, back, trained)
			}

			// The editor: an invalid edit is pinned on its layer and keeps
			// Train disabled; a valid one builds its model. The Embed
			// dialog's preview loads the snippet's page.
			f.visit("/#model=simple&workers=2")
			f.waitFor("simple", `document.body.dataset.state === "idle"`, 60*time.Second)
			f.click("edit-model")
			units := func(n string) {
				f.eval(`(() => { const i = document.querySelector('[data-key="0:units"]'); i.value = "`+n+`"; i.dispatchEvent(new Event("change")); return true })()`, nil)
			}
			units("0")
			f.waitFor("the pinned error", `document.querySelector("#editor-layers li.bad .layer-error")?.textContent.includes("0 units") && document.getElementById("train").disabled`, 10*time.Second)
			units("16")
			f.waitFor("the edited model", `document.body.dataset.state === "idle" && document.querySelector("#model-tabs [aria-selected=true]").id === "tab-custom" && !document.getElementById("train").disabled && document.getElementById("editor-sum").textContent.includes("the code is 16 numbers")`, 30*time.Second)
			f.click("xtab-layers")
			f.click("layers-go")
			f.waitFor("every layer of the edited model", `document.body.dataset.layersShown === "2" && document.querySelectorAll("#layers-out canvas").length === 3`, 30*time.Second)
			f.click("embed-open")
			f.waitFor("the embed's preview", `document.getElementById("embed-dialog").open && document.getElementById("embed-snippet").value.includes("embed=1") && document.getElementById("embed-preview").contentDocument?.body?.dataset.state === "idle"`, 60*time.Second)
			f.noErrors("the editor and the embed dialog")

			f.visit("/host.html")
			f.waitFor("the embed", `document.getElementById("w").contentDocument?.body?.dataset.state === "idle"`, 60*time.Second)
			var fit string
			f.eval(`(() => { const d = document.getElementById("w").contentDocument, w = d.defaultView, el = d.documentElement;
				const train = d.getElementById("train").getBoundingClientRect();
				return el.scrollWidth <= w.innerWidth && el.scrollHeight <= w.innerHeight && train.bottom <= w.innerHeight ? "" : el.scrollWidth + "×" + el.scrollHeight + ", Train ends at " + train.bottom })()`, &fit)
			if fit != "" {
				t.Errorf("%s: the embed does not fit 640×420: %s", e.name, fit)
			}
			f.noErrors("the embed")

			f.base = broken.URL
			f.visit("/#model=simple&workers=2")
			f.waitFor("the error", `!document.getElementById("alert").hidden`, 60*time.Second)
			var msg string
			f.eval(`document.getElementById("alert-msg").textContent`, &msg)
			if !strings.Contains(msg, "damaged") {
				t.Errorf("%s: a damaged data file is said as %q", e.name, msg)
			}
		})
	}
	// The quick runs' val losses, side by side: every engine runs the same
	// WebAssembly on the same digits with the same seed and worker count.
	fmt.Printf("%-9s", "val loss")
	for _, e := range engines {
		fmt.Printf(" %9s", e.name)
	}
	fmt.Println()
	for _, m := range models {
		fmt.Printf("%-9s", m)
		for _, e := range engines {
			fmt.Printf(" %9s", losses[e.name][m])
		}
		fmt.Println()
		if c := losses["chromium"][m]; c != "" {
			for _, e := range engines[1:] {
				if v := losses[e.name][m]; v != "" && v != c {
					t.Errorf("%s: %s's val loss %s differs from Chromium's %s", m, e.name, v, c)
				}
			}
		}
	}
}

func jsonUnmarshal(s string, out any) error { return json.Unmarshal([]byte(s), out) }
