package browsertest

import (
	"strings"
	"testing"
	"time"
)

// TestModelFromItsSpec: a model the catalogue lacks, named by its spec in
// the address, is shown untrained under "your model" with its layers in
// the summary; a quick run trains it with its own loss (MSE), a reload of
// the address brings the trained model back, and its saved file, loaded
// on a fresh page showing another model, rebuilds it.
func TestModelFromItsSpec(t *testing.T) {
	const linear = "input(784);dense(16,linear)*;dense(784,linear);loss(mse)"
	ts := serve(t, nil)
	p := openIdle(t, ts.URL+"/#model="+linear+"&epochs=2&samples=3000&val=500&batch=128")
	if sel := eval[string](p, `document.querySelector("#model-tabs [aria-selected=true]")?.id`); sel != "tab-custom" {
		t.Errorf("selected tab %q, want tab-custom", sel)
	}
	if got := p.text("custom-spec"); !strings.Contains(got, "dense(16,linear)*") {
		t.Errorf("the story shows the spec %q", got)
	}
	if rows := eval[int](p, `document.querySelectorAll("#summary tbody tr").length`); rows < 2 {
		t.Errorf("the summary has %d rows", rows)
	}
	if src := p.text("source"); !strings.HasPrefix(src, "Untrained") {
		t.Errorf("source line %q", src)
	}
	if !strings.Contains(eval[string](p, `location.hash`), "model="+linear+"&") {
		t.Errorf("the address does not keep the spec readable: %s", eval[string](p, `location.hash`))
	}
	p.screenshot("30-custom-model")
	p.click("train")
	p.waitFor("the run", `document.getElementById("log").textContent.includes("Epoch 2/2") && document.body.dataset.state === "idle"`, 90*time.Second)
	v := p.valLosses()
	if len(v) != 3 || !(v[2] < v[0]) || v[2] > 0.1 {
		t.Errorf("val losses %v: not a falling MSE", v)
	}
	trained := p.row(2)

	p.visit("about:blank")
	p.visit(ts.URL + "/#model=" + linear)
	p.waitIdle()
	if src := p.text("source"); !strings.HasPrefix(src, "Trained here") {
		t.Errorf("after a reload the source line says %q", src)
	}

	q := loadsBack(t, p, ts.URL, "#model=deep", "custom-*.safetensors", 90000, "tab-custom", trained)
	p.noConsoleErrors()
	q.noConsoleErrors()
}
