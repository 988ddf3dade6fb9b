package browsertest

import (
	"strings"
	"testing"
	"time"
)

// TestLayerView: Every layer draws every layer of the conv model for a test
// digit, in order, each with its name, shape and line, the code marked, and
// no picture blank.
func TestLayerView(t *testing.T) {
	ts := serve(t, nil)
	p := openIdle(t, ts.URL+"/#model=conv")
	p.click("xtab-layers")
	eval[bool](p, `(document.getElementById("layers-digit").value = "7", true)`)
	p.click("layers-go")
	p.waitFor("the layers", `document.body.dataset.layersShown === "14"`, 30*time.Second)
	titles := eval[[]string](p, `[...document.querySelectorAll("#layers-out .layer-title")].map(e => e.textContent)`)
	if len(titles) != 15 || !strings.HasPrefix(titles[1], "1 · conv2d_1 (Conv2D) · 28×28×16") || !strings.Contains(titles[6], "flatten_1 (Flatten) · 128 values · the code") {
		t.Fatalf("the layers' titles: %q", titles)
	}
	if c := eval[int](p, `document.querySelectorAll("#layers-out li.code").length`); c != 1 {
		t.Errorf("%d layers marked as the code", c)
	}
	blank := eval[[]int](p, `[...document.querySelectorAll("#layers-out canvas")].map((c, i) => {
		const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
		let lit = 0; for (let j = 0; j < d.length; j += 4) if (d[j] + d[j + 1] + d[j + 2] > 60) lit++;
		return lit > 0 ? -1 : i }).filter(i => i >= 0)`)
	if len(blank) > 0 {
		t.Errorf("blank pictures: %v", blank)
	}
	p.shot("27-layers", "panel-layers")
	p.noConsoleErrors()
}
