package browsertest

import (
	"aeplay/nn/catalog"
	"aeplay/nn/encoding/safetensors"
	nnweights "aeplay/nn/weights"
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
)

// TestSaveAndLoadWeights: a model trained in the page, saved as a file and
// loaded back after Reset, predicts exactly what it did; a file that is not
// weights is refused in words.
func TestSaveAndLoadWeights(t *testing.T) {
	ts := serve(t, nil)
	p := open(t, ts.URL+"/#model=conv&epochs=1&samples=256&val=128&batch=64&seed=3&autostart=1", 1280, 900, 1)
	p.waitFor("the run to finish", `document.getElementById("log").textContent.includes("Epoch 1/1") && document.body.dataset.state === "idle"`, 60*time.Second)
	trained := p.row(2)

	dir := p.downloads()
	p.click("save")
	file := downloaded(t, dir, "conv-trained-here.safetensors", 17000)

	p.click("reset")
	p.waitFor("the pretrained weights", `document.body.dataset.state === "idle" && document.getElementById("source").textContent.startsWith("Pretrained")`, 20*time.Second)
	if reflect.DeepEqual(p.row(2), trained) {
		t.Fatal("Reset did not change the reconstructions")
	}
	if err := chromedp.Do(p.ctx, chromedp.SetUploadFiles(chromedp.ID("load"), []string{file})); err != nil {
		t.Fatal(err)
	}
	p.waitFor("the loaded weights", `document.body.dataset.state === "idle" && document.getElementById("source").textContent.startsWith("Loaded from conv-trained-here")`, 20*time.Second)
	time.Sleep(300 * time.Millisecond)
	if !reflect.DeepEqual(p.row(2), trained) {
		t.Error("the loaded weights predict differently from the saved ones")
	}
	p.screenshot("11-loaded-weights")

	bad := filepath.Join(dir, "notes.txt")
	os.WriteFile(bad, []byte("not weights"), 0o644)
	if err := chromedp.Do(p.ctx, chromedp.SetUploadFiles(chromedp.ID("load"), []string{bad})); err != nil {
		t.Fatal(err)
	}
	p.waitFor("the error", `!document.getElementById("alert").hidden`, 20*time.Second)
	if msg := p.text("alert-msg"); !strings.Contains(msg, "notes.txt") {
		t.Errorf("alert %q does not name the file", msg)
	}
	if st := eval[string](p, `document.body.dataset.state`); st != "idle" {
		t.Errorf("state after a refused file: %s", st)
	}
}

// TestReloadKeepsTrainedModel: a model trained here is kept in IndexedDB,
// so a reload shows it again, curves and all; Reset forgets it.
func TestReloadKeepsTrainedModel(t *testing.T) {
	ts := serve(t, nil)
	p := open(t, ts.URL+"/#model=simple&epochs=2&samples=512&val=128&batch=64&seed=5&autostart=1", 1280, 900, 1)
	p.waitFor("the run to finish", `document.getElementById("log").textContent.includes("Epoch 2/2") && document.body.dataset.state === "idle"`, 60*time.Second)
	trained := p.row(2)

	// A new visit (without autostart, which would train again).
	p.visit("about:blank")
	p.visit(ts.URL + "/#model=simple")
	p.waitFor("the kept model", `document.body.dataset.state === "idle" && document.getElementById("source").textContent.includes("kept in this browser")`, 30*time.Second)
	if src := p.text("source"); !strings.HasPrefix(src, "Trained here: 2 epochs on 512 digits") {
		t.Errorf("source after reload: %q", src)
	}
	time.Sleep(300 * time.Millisecond)
	if !reflect.DeepEqual(p.row(2), trained) {
		t.Error("the reloaded page predicts differently from the model trained before")
	}
	p.screenshot("12-reloaded-kept-model")

	p.click("reset")
	p.waitFor("the pretrained weights", `document.body.dataset.state === "idle" && document.getElementById("source").textContent.startsWith("Pretrained")`, 20*time.Second)
	p.visit("about:blank")
	p.visit(ts.URL + "/#model=simple")
	p.waitFor("the page", `document.body.dataset.state === "idle"`, 30*time.Second)
	if src := p.text("source"); !strings.HasPrefix(src, "Pretrained") {
		t.Errorf("after Reset and reload the page shows %q", src)
	}
	// Reset did not delete it: Previous model brings it back.
	if !eval[bool](p, `!document.getElementById("restore").hidden`) || !strings.Contains(p.text("status"), "Previous model") {
		t.Fatalf("after Reset, no way back to the trained model: status %q", p.text("status"))
	}
	p.click("restore")
	p.waitFor("the trained model back", `document.body.dataset.state === "idle" && document.getElementById("source").textContent.startsWith("Trained here: 2 epochs")`, 20*time.Second)
	time.Sleep(300 * time.Millisecond)
	if !reflect.DeepEqual(p.row(2), trained) {
		t.Error("the model brought back predicts differently from the one trained")
	}
	p.noConsoleErrors()
}

// TestUnreadableKeptModelIsSetAside: a kept model the page cannot read (a
// format change, a damaged store) is not deleted: the page says so and
// offers it as a download, byte for byte.
func TestUnreadableKeptModelIsSetAside(t *testing.T) {
	ts := serve(t, nil)
	p := openIdle(t, ts.URL+"/#model=simple")
	dir := t.TempDir()
	err := chromedp.Do(p.ctx, chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{Behavior: browser.SetDownloadBehaviorBehaviorAllow, DownloadPath: dir,
			BrowserContextID: chromedp.FromContext(ctx).BrowserContextID})
		return err
	}))
	if err != nil {
		t.Fatal(err)
	}
	// What a future format, or a damaged disk, might leave under "conv".
	junk := "\x10\x00\x00\x00\x00\x00\x00\x00{\"a\":1}         "
	eval[bool](p, `new Promise((ok, fail) => { const r = indexedDB.open("aeplay", 1);
		r.onsuccess = () => { const tx = r.result.transaction("weights", "readwrite");
			tx.objectStore("weights").put(new TextEncoder().encode(`+strconv.Quote(junk)+`), "conv");
			tx.oncomplete = () => { r.result.close(); ok(true) }; tx.onerror = () => fail(tx.error) };
		r.onerror = () => fail(r.error) })`)
	p.click("tab-conv")
	p.waitFor("the notice", `document.body.dataset.state === "idle" && !document.getElementById("alert").hidden`, 20*time.Second)
	if msg := p.text("alert-msg"); !strings.Contains(msg, "set aside, not deleted") {
		t.Errorf("the notice: %q", msg)
	}
	if lbl := p.text("alert-action"); lbl != "Download it" {
		t.Fatalf("the alert's action is %q", lbl)
	}
	p.click("alert-action")
	file := filepath.Join(dir, "conv-unreadable.safetensors")
	deadline := time.Now().Add(10 * time.Second)
	for {
		if b, err := os.ReadFile(file); err == nil && len(b) > 0 {
			if string(b) != junk {
				t.Errorf("the downloaded file differs from what was kept: %q", b)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the set-aside file was not downloaded")
		}
		time.Sleep(100 * time.Millisecond)
	}
	p.noConsoleErrors()
}

// TestLoadFileFromPython: a conv weights file as Python writes it from a
// Keras 3 model (safetensors' save_file: no metadata, layers "conv2d",
// "conv2d_1" … from 0), chosen with Load weights while the simple model is
// on show, shows the conv model; the worker stays whole.
func TestLoadFileFromPython(t *testing.T) {
	m, err := catalog.New("conv")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := nnweights.ReadFile(filepath.Join(root, "web", "models", "conv.safetensors"), m); err != nil {
		t.Fatal(err)
	}
	var ts []safetensors.Tensor
	for _, p := range m.Params() {
		layer, rest, _ := strings.Cut(p.Name, "/")
		n, _ := strconv.Atoi(layer[strings.LastIndexByte(layer, '_')+1:])
		name := "conv2d/" + rest
		if n > 1 {
			name = fmt.Sprintf("conv2d_%d/%s", n-1, rest)
		}
		ts = append(ts, safetensors.Tensor{Name: name, Shape: p.Shape, Data: p.Value})
	}
	var b bytes.Buffer
	if err := safetensors.Write(&b, ts, nil); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "keras3.safetensors")
	if err := os.WriteFile(file, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	ts2 := serve(t, nil)
	p := openIdle(t, ts2.URL+"/#model=simple")
	if err := chromedp.Do(p.ctx, chromedp.SetUploadFiles(chromedp.ID("load"), []string{file})); err != nil {
		t.Fatal(err)
	}
	p.waitFor("the loaded file", `document.body.dataset.state === "idle" && document.getElementById("source").textContent.startsWith("Loaded from keras3.safetensors")`, 20*time.Second)
	if sel := eval[string](p, `document.querySelector("#model-tabs [aria-selected=true]").dataset.model`); sel != "conv" {
		t.Errorf("after loading a conv file the %s tab is selected", sel)
	}
	if !eval[bool](p, `document.getElementById("alert").hidden`) {
		t.Errorf("alert after loading: %s", p.text("alert-msg"))
	}
	p.noConsoleErrors()
}
