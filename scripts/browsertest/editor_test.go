package browsertest

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// key focuses the editor's control named by its data-key ("row:field"),
// selects its text if it has any, and types keys, as a keyboard reader
// would.
func (p *page) key(dataKey, keys string) {
	p.t.Helper()
	sel := `[data-key="` + dataKey + `"]`
	if err := chromedp.Do(p.ctx, chromedp.Focus(chromedp.CSS(sel))); err != nil {
		p.t.Fatalf("focusing %s: %v", sel, err)
	}
	eval[bool](p, `(e => { if (e.select) e.select(); return true })(document.activeElement)`)
	if err := chromedp.Do(p.ctx, chromedp.KeyEvent(keys)); err != nil {
		p.t.Fatalf("typing into %s: %v", sel, err)
	}
}

// selectedTab is the id of the model tab on show.
func (p *page) selectedTab() string {
	return eval[string](p, `document.querySelector("#model-tabs [aria-selected=true]")?.id`)
}

// TestEditor builds the post's "conv with a 32-number code" in the editor
// with the keyboard alone: a layer added, moved and removed again (each
// edit built at once, the focus kept in place), then the code's
// convolution cut to 2 filters, which leaves the decoder's Reshape wrong:
// its error shows on that layer and Train is disabled, while the model on
// show stays the conv model; the Reshape set to 4×4×2 makes the model the
// catalogue's conv32, with its pretrained weights. A quick run trains it,
// the log and the grid show it; the address brings the same model back,
// and its saved file, loaded on a fresh page, rebuilds it.
func TestEditor(t *testing.T) {
	ts := serve(t, nil)
	p := openIdle(t, ts.URL+"/#model=conv")
	p.click("edit-model")
	rows := `document.querySelectorAll("#editor-layers li:not(.editor-end)").length`
	if n := eval[int](p, rows); n != 14 {
		t.Fatalf("the editor shows %d layers of the conv model, want 14", n)
	}
	idle := `document.body.dataset.state === "idle"`
	// "your model" in the start-from menu over a catalogue model changes
	// nothing.
	if err := p.selectValue("#editor-base", ""); err != nil {
		t.Fatal(err)
	}
	if b := eval[string](p, `document.getElementById("editor-base").value`); b != "conv" || p.selectedTab() != "tab-conv" {
		t.Errorf("after choosing \"your model\" over conv: the menu says %q, the tab is %s", b, p.selectedTab())
	}

	// Add a layer after the first, by keys: the new layer is a Conv2D (the
	// shape there is an image), the focus on its kind.
	p.key("0:add", kb.Enter)
	p.waitFor("the edited model", idle+` && document.querySelectorAll("#editor-layers li:not(.editor-end)").length === 15`, 20*time.Second)
	if f := eval[string](p, `document.activeElement.dataset.key`); f != "1:kind" {
		t.Errorf("after adding a layer the focus is on %q, want 1:kind", f)
	}
	if k := eval[string](p, `document.querySelector('[data-key="1:kind"]').value`); k != "conv2d" {
		t.Errorf("the new layer is a %s, want conv2d", k)
	}
	if tab := p.selectedTab(); tab != "tab-custom" {
		t.Errorf("an edited model is on tab %q, want tab-custom", tab)
	}
	if src := p.text("source"); !strings.HasPrefix(src, "Untrained") {
		t.Errorf("the edited model's source line says %q", src)
	}
	p.key("1:down", kb.Enter)
	p.waitFor("the moved layer", idle+` && document.activeElement.dataset.key === "2:down"`, 20*time.Second)
	p.key("2:remove", kb.Enter)
	p.waitFor("conv again", idle+` && document.querySelector("#model-tabs [aria-selected=true]")?.id === "tab-conv"`, 20*time.Second)
	if src := p.text("source"); !strings.HasPrefix(src, "Pretrained") {
		t.Errorf("back to the conv model, the source line says %q", src)
	}

	// The code's convolution (layer 5) to 2 filters: the Reshape (layer 7)
	// no longer fits.
	p.key("4:filters", "2"+kb.Tab)
	p.waitFor("the Reshape's error", `document.querySelector("#editor-layers li.bad .layer-error")`, 5*time.Second)
	if msg := eval[string](p, `document.querySelector("#editor-layers li.bad .layer-error").textContent`); !strings.Contains(msg, "reshape 32 values") {
		t.Errorf("the error on the layer says %q", msg)
	}
	if n := eval[string](p, `document.querySelector("#editor-layers li.bad .layer-num").textContent`); n != "7" {
		t.Errorf("the error is on layer %s, want 7", n)
	}
	if !eval[bool](p, `document.getElementById("train").disabled`) {
		t.Error("Train is enabled with an invalid model in the editor")
	}
	if tab := p.selectedTab(); tab != "tab-conv" {
		t.Errorf("an invalid edit changed the model on show to %q", tab)
	}
	p.shot("34-editor-error", "editor")
	p.key("6:target", "4,4,2"+kb.Tab)
	p.waitFor("conv32", idle+` && document.querySelector("#model-tabs [aria-selected=true]")?.id === "tab-conv32"`, 20*time.Second)
	if eval[bool](p, `document.getElementById("train").disabled`) {
		t.Error("Train is still disabled with a valid model")
	}
	if sum := p.text("editor-sum"); !strings.Contains(sum, "the code is 32 numbers, a compression factor of 24.5") {
		t.Errorf("the editor's summary says %q", sum)
	}
	p.click("edit-model")
	if info := p.text("code-info"); !strings.Contains(info, "32 numbers") {
		t.Errorf("the code line says %q", info)
	}

	before := p.row(2)
	p.click("train")
	p.waitFor("the quick run", `document.getElementById("log").textContent.includes("Epoch 3/3") && `+idle, 120*time.Second)
	if reflect.DeepEqual(p.row(2), before) {
		t.Error("the grid's reconstructions did not change with the run")
	}
	if src := p.text("source"); !strings.HasPrefix(src, "Trained here") {
		t.Errorf("after the run the source line says %q", src)
	}
	trained := p.row(2)
	url := eval[string](p, `location.href`)
	if !strings.Contains(url, "model=conv32") {
		t.Errorf("the address is %s", url)
	}
	p.click("edit-model") // the editor shows an edit of the model on show
	if s := p.text("editor-sum"); !strings.Contains(s, "An epoch of 15,000 digits: about") {
		t.Errorf("after a run the editor's estimate says %q", s)
	}

	p.visit("about:blank")
	p.visit(url)
	p.waitIdle()
	if tab := p.selectedTab(); tab != "tab-conv32" {
		t.Errorf("the address brought back %q", tab)
	}
	if src := p.text("source"); !strings.HasPrefix(src, "Trained here") {
		t.Errorf("after a reload the source line says %q", src)
	}

	q := loadsBack(t, p, ts.URL, "#model=simple", "conv32*.safetensors", 5000, "tab-conv32", trained)
	p.noConsoleErrors()
	q.noConsoleErrors()
}
