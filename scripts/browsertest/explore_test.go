package browsertest

import (
	"aeplay/nn/catalog"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"

	"aeplay/internal/numfmt"
	"aeplay/nn/encoding/idx"
	"aeplay/nn/pca"
)

// shot saves one element's box as test-artifacts/<name>.png.
func (p *page) shot(name, id string) {
	p.t.Helper()
	if err := chromedp.Do(p.ctx, chromedp.ScrollIntoView(chromedp.ID(id))); err != nil {
		p.t.Logf("scrolling to #%s: %v", id, err)
	}
	b, err := chromedp.Run(p.ctx, chromedp.Screenshot(chromedp.ID(id)))
	if err != nil {
		p.t.Logf("screenshot of #%s: %v", id, err)
		return
	}
	os.WriteFile(filepath.Join(root, "test-artifacts", name+".png"), b, 0o644)
}

// mouse sends one mouse event at CSS pixel (x, y) of the viewport.
func (p *page) mouse(typ input.DispatchMouseEventType, x, y float64, buttons int64) {
	p.t.Helper()
	opts := []chromedp.MouseOption{func(e *input.DispatchMouseEventParams) { e.Buttons = buttons }}
	if typ != moved {
		opts = append(opts, chromedp.ButtonLeft, chromedp.ClickCount(1))
	} else if buttons != 0 {
		opts = append(opts, chromedp.ButtonLeft)
	}
	if err := chromedp.Do(p.ctx, chromedp.MouseEvent(typ, x, y, opts...)); err != nil {
		p.t.Fatalf("mouse %s at (%.0f, %.0f): %v", typ, x, y, err)
	}
}

const (
	moved    = input.DispatchMouseEventTypeMouseMoved
	pressed  = input.DispatchMouseEventTypeMousePressed
	released = input.DispatchMouseEventTypeMouseReleased
)

// num reads a number from the body's data attributes (NaN when absent).
func (p *page) num(key string) float64 {
	p.t.Helper()
	s := eval[string](p, fmt.Sprintf(`String(document.body.dataset[%q])`, key))
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return -1
	}
	return v
}

// inked reports how many pixels of a canvas are not black.
func (p *page) inked(id string) int {
	p.t.Helper()
	return eval[int](p, fmt.Sprintf(`(() => { const c = document.getElementById(%q);
		if (!c.width) return 0;
		const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
		let n = 0; for (let i = 0; i < d.length; i += 4) if (d[i] + d[i+1] + d[i+2] > 30) n++;
		return n })()`, id))
}

// TestLatentMap: the map draws the 10,000 test digits' codes (its main
// thread time printed as a BENCH line: make bench reports it), hovering a
// point shows that digit and its reconstruction, and dragging decodes the
// points passed over.
func TestLatentMap(t *testing.T) {
	ts := serve(t, nil)
	p := openIdle(t, ts.URL+"/#model=deep")
	p.click("xtab-map")
	p.click("map-draw")
	p.waitFor("the map", `document.body.dataset.mapPoints !== undefined`, 30*time.Second)
	if n := p.num("mapPoints"); n != 10000 {
		t.Fatalf("map of %v points, want the 10,000 test digits", n)
	}
	// The peer: the same number of points drawn the usual way, one canvas
	// arc() and fill() each, in the same tab.
	peer := eval[float64](p, `(() => { const c = document.createElement("canvas"); c.width = 900; c.height = 440;
		const ctx = c.getContext("2d"), t0 = performance.now();
		for (let i = 0; i < 10000; i++) { ctx.fillStyle = "hsl(" + (i % 10) * 36 + ",60%,50%)"; ctx.beginPath();
			ctx.arc((i * 7919) % 900, (i * 104729) % 440, 1.6, 0, 2 * Math.PI); ctx.fill(); }
		ctx.getImageData(0, 0, 1, 1);
		return performance.now() - t0 })()`)
	ours := p.num("mapDrawMs")
	fmt.Printf("BENCH latent map: %v points drawn in %v ms of main-thread time (budget 1000 ms); one canvas arc() per point, in the same tab: %.0f ms (%.1f× ours)\n",
		p.num("mapPoints"), ours, peer, peer/math.Max(ours, 1))
	if p.inked("map") < 5000 {
		t.Errorf("the map canvas is nearly empty (%d inked pixels)", p.inked("map"))
	}

	pt := p.mapPoint()
	p.mouse(moved, pt[0], pt[1], 0)
	p.waitFor("the hovered digit", `document.body.dataset.peeked !== undefined`, 10*time.Second)
	if p.inked("peek-orig") < 20 || p.inked("peek-recon") < 20 {
		t.Errorf("hover drew a blank digit: %d and %d inked pixels", p.inked("peek-orig"), p.inked("peek-recon"))
	}
	p.shot("20-latent-map", "explore")

	// Drag across the map: each position decodes.
	p.mouse(pressed, pt[0]-60, pt[1], 1)
	for i := 0; i <= 30; i++ {
		p.mouse(moved, pt[0]-60+float64(i)*4, pt[1]+float64(i), 1)
		time.Sleep(20 * time.Millisecond)
	}
	p.mouse(released, pt[0]+60, pt[1]+30, 0)
	p.waitFor("the decoded points", `Number(document.body.dataset.decodedPoints) >= 5`, 10*time.Second)
	fmt.Printf("BENCH map drag: %v decodes, median %v ms from pointer to drawn digit (frame budget 16.7 ms)\n", p.num("decodedPoints"), p.num("decodeMedianMs"))
	if p.inked("point-img") < 20 {
		t.Error("the decoded point is blank")
	}
	p.shot("21-latent-map-drag", "explore")

	// The 2-D code model: its map is the code itself.
	p.click("map-2d")
	p.waitFor("the 2-D code model", `document.body.dataset.state === "idle" && document.getElementById("map-draw").hidden === false && document.getElementById("tab-latent2d").getAttribute("aria-selected") === "true"`, 30*time.Second)
	p.click("map-draw")
	p.waitFor("the 2-D map", `document.getElementById("map-info").textContent.includes("code's two values")`, 30*time.Second)
	p.mouse(pressed, pt[0]-100, pt[1]-50, 1)
	p.mouse(moved, pt[0]-80, pt[1]-40, 1)
	p.mouse(released, pt[0]-80, pt[1]-40, 0)
	time.Sleep(300 * time.Millisecond)
	p.shot("22-latent-map-2d", "explore")
	p.noConsoleErrors()
}

// TestInterpolateAndDraw: two test digits give 8 decoded steps; a stroke
// drawn on the pad is encoded and reconstructed, its layers are shown, and
// the noise brush's scribbles are cleaned by the denoiser.
func TestInterpolateAndDraw(t *testing.T) {
	ts := serve(t, nil)
	p := openIdle(t, ts.URL+"/#model=deep")
	p.click("xtab-interp")
	p.click("interp-go")
	p.waitFor("the interpolation", `document.body.dataset.interpolated === "8"`, 20*time.Second)
	if n := p.inked("interp"); n < 8*30 {
		t.Errorf("the interpolation strip is nearly blank (%d inked pixels)", n)
	}
	p.shot("23-interpolate", "explore")

	p.click("xtab-draw")
	if err := chromedp.Do(p.ctx, chromedp.ScrollIntoView(chromedp.ID("pad"))); err != nil {
		t.Fatal(err)
	}
	r := eval[[]float64](p, `(() => { const r = document.getElementById("pad").getBoundingClientRect(); return [r.left, r.top, r.width] })()`)
	at := func(fx, fy float64) (float64, float64) { return r[0] + fx*r[2], r[1] + fy*r[2] }
	// A 7: a bar across the top, then a stroke down to the bottom left.
	x, y := at(0.3, 0.25)
	p.mouse(pressed, x, y, 1)
	for _, q := range [][2]float64{{0.5, 0.25}, {0.7, 0.25}, {0.62, 0.45}, {0.55, 0.6}, {0.48, 0.8}} {
		for k := 1; k <= 6; k++ {
			nx, ny := at(0, 0)
			fx := (x-nx)/r[2] + (q[0]-(x-nx)/r[2])*float64(k)/6
			fy := (y-ny)/r[2] + (q[1]-(y-ny)/r[2])*float64(k)/6
			px, py := at(fx, fy)
			p.mouse(moved, px, py, 1)
		}
		x, y = at(q[0], q[1])
	}
	p.mouse(released, x, y, 0)
	p.waitFor("the reconstruction", `document.body.dataset.encoded !== undefined`, 10*time.Second)
	time.Sleep(200 * time.Millisecond)
	if n := p.inked("draw-in"); n < 30 {
		t.Errorf("the preprocessed drawing is nearly blank (%d inked pixels)", n)
	}
	if n := p.inked("draw-recon"); n < 30 {
		t.Errorf("the reconstruction is nearly blank (%d inked pixels)", n)
	}
	if r, d := p.text("draw-recon-label"), p.text("draw-denoised-label"); !strings.Contains(r, "deep") || !strings.Contains(d, "denoise") {
		t.Errorf("the Draw panel does not say which models drew: %q, %q", r, d)
	}
	if p.inked("draw-code") == 0 {
		t.Error("no code drawn")
	}
	// The drawing through every layer: the Every layer panel opens on it.
	p.click("draw-layers")
	p.waitFor("the drawing's layers", `document.body.dataset.layersShown === "6" && !document.getElementById("panel-layers").hidden`, 20*time.Second)
	if first := eval[string](p, `document.querySelector("#layers-out .layer-title").textContent`); first != "input · 28×28 · your drawing" {
		t.Errorf("the drawing's layers begin with %q", first)
	}
	p.click("xtab-draw")
	// The noise brush over the whole pad (clicking the radio may have
	// scrolled the pad: measure it again).
	p.click("brush-noise")
	r = eval[[]float64](p, `(() => { const r = document.getElementById("pad").getBoundingClientRect(); return [r.left, r.top, r.width] })()`)
	for i := 0; i < 12; i++ {
		x0, y0 := at(0.05, 0.05+float64(i)*0.08)
		x1, y1 := at(0.95, 0.05+float64(i)*0.08)
		p.mouse(pressed, x0, y0, 1)
		for k := 1; k <= 10; k++ {
			p.mouse(moved, x0+(x1-x0)*float64(k)/10, y0, 1)
		}
		p.mouse(released, x1, y1, 0)
	}
	time.Sleep(300 * time.Millisecond)
	noisy, denoised := p.inked("draw-in"), p.inked("draw-denoised")
	if denoised >= noisy {
		t.Errorf("the denoiser kept the noise: %d inked pixels in, %d out", noisy, denoised)
	}
	// The pad shows noise as the model gets it: many grey levels, one per
	// MNIST pixel, not one translucent grey.
	if levels := eval[int](p, `(() => { const c = document.getElementById("pad"), d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data, g = new Set();
		for (let i = 0; i < d.length; i += 4) g.add(d[i]); return g.size })()`); levels < 40 {
		t.Errorf("the noise brush painted %d grey levels on the pad, not noise", levels)
	}
	p.shot("24-draw", "explore")
	p.noConsoleErrors()
}

// TestCompareWithPCA: the comparison lists every model and the PCA
// baselines, whose losses are the ones the native test (scripts/pca)
// recomputes with gonum, and draws every model's reconstructions.
func TestCompareWithPCA(t *testing.T) {
	ts := serve(t, nil)
	p := openIdle(t, ts.URL+"/#model=conv")
	p.click("xtab-compare")
	p.click("compare-go")
	p.waitFor("the comparison", `document.body.dataset.compared !== undefined`, 60*time.Second)
	for _, k := range []int{32, 128} {
		b, err := os.ReadFile(filepath.Join(root, "web/models/pca"+strconv.Itoa(k)+".safetensors"))
		if err != nil {
			t.Fatal(err)
		}
		_, meta, err := pca.Read(b)
		if err != nil {
			t.Fatal(err)
		}
		bce, _ := strconv.ParseFloat(meta["val_bce"], 64)
		mse, _ := strconv.ParseFloat(meta["val_mse"], 64)
		row := eval[[]string](p, fmt.Sprintf(`[...document.querySelectorAll('#compare-table tr[data-model="PCA %d"] td')].map(td => td.textContent)`, k))
		if len(row) < 6 {
			t.Fatalf("no PCA %d row: %v", k, row)
		}
		if row[4] != numfmt.Loss(bce) || row[5] != numfmt.Loss(mse) {
			t.Errorf("PCA %d: the page shows BCE %s MSE %s; the native test's values are %s %s", k, row[4], row[5], numfmt.Loss(bce), numfmt.Loss(mse))
		}
	}
	names := eval[[]string](p, `[...document.querySelectorAll('#compare-table tr[data-model]')].map(tr => tr.dataset.model)`)
	for _, m := range catalog.Names() {
		if !slices.Contains(names, m) {
			t.Errorf("model %s missing from the comparison: %v", m, names)
		}
	}
	// The post's remark, on show: the linear autoencoder's val MSE beside
	// PCA 32's.
	mse := func(model string) float64 {
		row := eval[[]string](p, fmt.Sprintf(`[...document.querySelectorAll('#compare-table tr[data-model="%s"] td')].map(td => td.textContent)`, model))
		if len(row) < 6 {
			t.Fatalf("no %s row: %v", model, row)
		}
		v, err := strconv.ParseFloat(row[5], 64)
		if err != nil {
			t.Fatalf("%s's val MSE %q", model, row[5])
		}
		return v
	}
	if lin, p32 := mse("linear"), mse("PCA 32"); !(lin >= p32*0.99 && lin <= p32*1.05) {
		t.Errorf("the comparison shows the linear autoencoder's val MSE %v beside PCA 32's %v: not within 5 %%", lin, p32)
	}
	if n := eval[int](p, `document.querySelectorAll('#compare-grid canvas').length`); n != len(names)+1 {
		t.Errorf("%d rows of digits for %d models and the originals", n, len(names))
	}
	p.shot("25-compare", "explore")
}

// TestOwnData: a Fashion-MNIST-format pair of files (made here: 700
// images of three kinds of garment-like shapes) is validated, trains, and
// maps; a file that is not IDX is refused in words.
func TestOwnData(t *testing.T) {
	const n = 700
	images, labels := make([]byte, n*784), make([]byte, n)
	rng := rand.New(rand.NewPCG(7, 7))
	for i := range n {
		kind := i % 3
		labels[i] = byte(kind)
		w, h := 8+rng.IntN(8), 10+rng.IntN(8)
		for y := 0; y < 28; y++ {
			for x := 0; x < 28; x++ {
				in := false
				switch kind {
				case 0: // a shirt: a box with sleeves
					in = abs(x-14) < w && abs(y-14) < h/2 || y < 10 && y > 5 && abs(x-14) < w+4
				case 1: // trousers: two legs
					in = y > 4 && y < 24 && (abs(x-10) < 3 || abs(x-18) < 3) || y > 4 && y < 9 && abs(x-14) < 7
				case 2: // a bag: a box and a handle
					in = y > 12 && y < 24 && abs(x-14) < w || y > 5 && y <= 12 && abs(x-14) > 3 && abs(x-14) < 6
				}
				if in {
					images[i*784+y*28+x] = byte(150 + rng.IntN(100))
				}
			}
		}
	}
	dir := t.TempDir()
	imgFile, labFile := filepath.Join(dir, "garments-images-idx3-ubyte"), filepath.Join(dir, "garments-labels-idx1-ubyte")
	os.WriteFile(imgFile, idx.Append(nil, []int{n, 28, 28}, images), 0o644)
	os.WriteFile(labFile, idx.Append(nil, []int{n}, labels), 0o644)
	bad := filepath.Join(dir, "photo.jpg")
	os.WriteFile(bad, []byte("\xff\xd8\xff\xe0 not an IDX file"), 0o644)

	ts := serve(t, nil)
	p := openIdle(t, ts.URL+"/#model=simple&epochs=2&samples=600&val=100&batch=32&seed=1")
	p.click("xtab-data")
	if err := chromedp.Do(p.ctx, chromedp.SetUploadFiles(chromedp.ID("data-files"), []string{bad})); err != nil {
		t.Fatal(err)
	}
	// The refusal is said beside the drop zone, where the reader looks.
	// (Past "Reading photo.jpg…", which the page says first.)
	p.waitFor("the error", `document.getElementById("data-info").textContent.includes("photo.jpg") && !document.getElementById("data-info").textContent.startsWith("Reading")`, 20*time.Second)
	if msg := p.text("data-info"); !strings.Contains(msg, "IDX") {
		t.Errorf("%q does not say what the file should be", msg)
	}
	// Dropped on the drop zone, the same: a file is refused in words.
	eval[bool](p, `(() => { const dt = new DataTransfer();
		dt.items.add(new File([new Uint8Array([0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 9])], "short-idx3-ubyte"));
		document.getElementById("drop").dispatchEvent(new DragEvent("drop", {dataTransfer: dt, bubbles: true, cancelable: true}));
		return true })()`)
	p.waitFor("the error for the dropped file", `document.getElementById("data-info").textContent.includes("short-idx3-ubyte") && !document.getElementById("data-info").textContent.startsWith("Reading")`, 20*time.Second)
	t.Logf("dropped a truncated IDX file: %s", p.text("data-info"))

	if err := chromedp.Do(p.ctx, chromedp.SetUploadFiles(chromedp.ID("data-files"), []string{labFile, imgFile})); err != nil {
		t.Fatal(err)
	}
	p.waitFor("the data set", `document.body.dataset.data === "garments-images-idx3-ubyte"`, 20*time.Second)
	p.waitFor("the grid of the new data", `document.body.dataset.state === "idle"`, 20*time.Second)
	before := p.row(2)
	p.click("train")
	p.waitFor("the run to finish", `document.getElementById("log").textContent.includes("Epoch 2/2") && document.body.dataset.state === "idle"`, 60*time.Second)
	losses := p.valLosses()
	if len(losses) != 3 || !(losses[2] < losses[1] && losses[1] < losses[0]) {
		t.Errorf("val losses on the garments: %v, want three falling (before, epochs 1 and 2)", losses)
	}
	if src := p.text("source"); !strings.Contains(src, "600 images of garments-images-idx3-ubyte") {
		t.Errorf("source line %q does not name the data", src)
	}
	orig, after := p.row(0), p.row(2)
	if reflect.DeepEqual(before, after) {
		t.Error("training did not change the reconstructions")
	}
	// The originals are the garments (the test set is the file's last 100).
	if d := orig.Cells[0]; d[14*28+14] < 0.5 {
		t.Errorf("the first original's centre is %.2f: not one of the garments", d[14*28+14])
	}
	eval[bool](p, `(window.scrollTo(0, 0), true)`)
	p.screenshot("26-own-data")
	p.click("xtab-map")
	p.click("map-draw")
	p.waitFor("the map of the garments", `document.body.dataset.mapPoints === "100"`, 20*time.Second)
	p.noConsoleErrors()
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// TestExplorerRecoversFromAFailedRequest: an explore request that fails (a
// damaged test set under the map, an interpolation past the last digit)
// is answered with an error that names it; the view that asked is usable
// again, no request is left waiting, and the next request works.
func TestExplorerRecoversFromAFailedRequest(t *testing.T) {
	ts := serve(t, map[string][]byte{"/web/data/t10k-images-idx3-ubyte.gz": []byte("not the test digits")})
	p := openIdle(t, ts.URL+"/#model=deep")
	p.click("map-draw")
	p.waitFor("the map's failure", `document.getElementById("map-info").textContent.includes("Could not") && document.body.dataset.pending === "0"`, 30*time.Second)
	if msg := p.text("map-info"); !strings.Contains(msg, "t10k-images") {
		t.Errorf("the error beside the map does not name the damaged file: %q", msg)
	}
	if b := p.text("map-draw"); b != "Draw the map" || eval[bool](p, `document.getElementById("map-draw").disabled`) {
		t.Errorf("the map's button is stuck: %q", b)
	}

	p.click("xtab-interp") // opening the panel interpolates the default pair
	p.waitFor("the first interpolation", `document.body.dataset.interpolated === "8" && document.body.dataset.pending === "0"`, 20*time.Second)
	eval[bool](p, `document.getElementById("interp-a").value = "0", document.getElementById("interp-b").value = "99999", delete document.body.dataset.interpolated, true`)
	p.click("interp-go")
	p.waitFor("the interpolation's failure", `document.body.dataset.pending === "0" && document.getElementById("interp-hint").textContent.includes("99999")`, 20*time.Second)
	if eval[bool](p, `document.getElementById("interp-go").disabled`) {
		t.Error("Interpolate stays disabled after its request failed")
	}
	eval[bool](p, `document.getElementById("interp-b").value = "7", true`)
	p.click("interp-go")
	p.waitFor("the interpolation", `document.body.dataset.interpolated === "8"`, 20*time.Second)
	if st := eval[string](p, `document.body.dataset.state`); st != "idle" {
		t.Errorf("page state %q after the failures, want idle", st)
	}
	// The errors were said beside their views, not in the alert at the top.
	if !eval[bool](p, `document.getElementById("alert").hidden`) {
		t.Errorf("an explore error went to the page's alert: %q", p.text("alert-msg"))
	}
	p.noConsoleErrors()
}

// mapPoint returns a drawn point of the latent map, in viewport CSS pixels:
// the first coloured pixel from the map's centre outwards.
func (p *page) mapPoint() []float64 {
	p.t.Helper()
	pt := eval[[]float64](p, `(() => { const c = document.getElementById("map"), r = c.getBoundingClientRect();
		const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
		const s = c.width / r.width;
		for (let rad = 0; rad < c.width / 2; rad++) for (let a = 0; a < 64; a++) {
			const x = Math.round(c.width / 2 + rad * Math.cos(a / 64 * 2 * Math.PI)), y = Math.round(c.height / 2 + rad * Math.sin(a / 64 * 2 * Math.PI));
			if (x < 0 || y < 0 || x >= c.width || y >= c.height) continue;
			const i = (y * c.width + x) * 4;
			if (d[i + 3] > 200 && Math.abs(d[i] - d[i + 1]) + Math.abs(d[i + 1] - d[i + 2]) > 60) return [r.left + x / s, r.top + y / s];
		}
		return [] })()`)
	if len(pt) != 2 {
		p.t.Fatal("no coloured point on the map")
	}
	return pt
}
