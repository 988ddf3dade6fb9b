package browsertest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// frameEval evaluates a JavaScript expression in the document of the
// page's first iframe, whatever its origin (a world of the test's own in
// that frame: the frame's DOM, not its scripts), and decodes its JSON value.
func frameEval[T any](p *page, expr string) (T, error) {
	var out T
	tree, err := chromedp.Call(p.ctx, cdppage.GetFrameTree, struct{}{})
	if err != nil {
		return out, err
	}
	if len(tree.FrameTree.ChildFrames) == 0 {
		return out, fmt.Errorf("the page has no frame yet")
	}
	world, err := chromedp.Call(p.ctx, cdppage.CreateIsolatedWorld, cdppage.CreateIsolatedWorldParams{FrameID: tree.FrameTree.ChildFrames[0].Frame.ID, WorldName: "test"})
	if err != nil {
		return out, err
	}
	yes := true
	res, err := chromedp.Call(p.ctx, runtime.Evaluate, runtime.EvaluateParams{Expression: expr, ContextID: world.ExecutionContextID, ReturnByValue: &yes, AwaitPromise: &yes})
	if err != nil {
		return out, err
	}
	if res.ExceptionDetails != nil {
		return out, fmt.Errorf("%s", res.ExceptionDetails.Text)
	}
	err = json.Unmarshal([]byte(res.Result.Value), &out)
	return out, err
}

// waitInFrame polls a condition in the page's frame.
func (p *page) waitInFrame(what, cond string, timeout time.Duration) {
	p.t.Helper()
	var last error
	for deadline := time.Now().Add(timeout); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		ok, err := frameEval[bool](p, "!!("+cond+")")
		if err == nil && ok {
			return
		}
		last = err
	}
	status, _ := frameEval[string](p, `[document.body?.dataset.state, document.getElementById("status")?.textContent, document.getElementById("alert-msg")?.textContent].join(" | ")`)
	p.screenshot("failed-" + p.t.Name())
	p.t.Fatalf("waiting in the frame for %s (last error %v); the frame says %s", what, last, status)
}

// TestEmbedDialog: the Embed dialog's snippet, pasted into a plain page on
// another origin, shows the model on show with exactly the controls chosen
// in the dialog; with weights= naming a file on a third origin that allows
// it (CORS), the embed shows that file's model (its reconstructions equal
// those of an embed of that model); a file that is not safetensors, one
// whose server does not allow other sites, and one too large are refused
// in words, in the dialog's live preview, and the model on show stays.
func TestEmbedDialog(t *testing.T) {
	ts := serve(t, nil)
	linear, err := os.ReadFile(filepath.Join(root, "web/models/linear.safetensors"))
	if err != nil {
		t.Fatal(err)
	}
	files := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/nocors.safetensors" {
			w.Header().Set("Access-Control-Allow-Origin", "*")
		}
		switch r.URL.Path {
		case "/linear.safetensors", "/nocors.safetensors":
			w.Write(linear)
		case "/notes.txt":
			w.Header().Set("Content-Type", "text/plain")
			fmt.Fprint(w, "Not weights: a note about the model.\n")
		case "/huge.safetensors": // no length given: the cap must hold while reading
			chunk := make([]byte, 1<<20)
			for range 40 {
				if _, err := w.Write(chunk); err != nil {
					return
				}
			}
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(files.Close)
	var mu sync.Mutex
	post := map[string]string{}
	host := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		body, ok := post[r.URL.Path]
		mu.Unlock()
		if !ok {
			w.WriteHeader(http.StatusNoContent) // no favicon, and no console error for it
			return
		}
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprintf(w, "<!doctype html><html lang=\"en\"><title>A post</title><h1>A post about autoencoders</h1>\n%s\n<p>The end.</p></html>", body)
	}))
	t.Cleanup(host.Close)

	p := openIdle(t, ts.URL+"/#model=conv32")
	p.click("embed-open")
	p.waitFor("the dialog", `document.getElementById("embed-dialog").open`, 5*time.Second)
	for _, name := range []string{"reset", "epochs"} { // Reset off, epochs on
		if err := chromedp.Do(p.ctx, chromedp.Click(chromedp.CSS(`#embed-controls input[value="`+name+`"]`))); err != nil {
			t.Fatal(err)
		}
	}
	snippet := func() string { return eval[string](p, `document.getElementById("embed-snippet").value`) }
	preview := `document.getElementById("embed-preview").contentDocument`
	setWeightsOn(t, p, files.URL+"/linear.safetensors")
	if s := snippet(); !strings.Contains(s, "weights="+files.URL+"/linear.safetensors") || !strings.Contains(s, "show=epochs") || !strings.Contains(s, "hide=reset") {
		t.Fatalf("the snippet %s", s)
	}
	p.waitFor("the preview's loaded weights", preview+`?.getElementById("source")?.textContent.startsWith("Loaded from linear.safetensors")`, 30*time.Second)
	p.shot("35-embed-dialog", "embed-dialog")

	// The snippet in a post on another origin.
	mu.Lock()
	post["/weights.html"] = snippet()
	mu.Unlock()
	p.click("embed-close")
	p.visit(host.URL + "/weights.html")
	p.waitInFrame("the embed with the file's model", `document.body.dataset.state === "idle" && document.getElementById("source").textContent.startsWith("Loaded from linear.safetensors")`, 40*time.Second)
	if hidden, _ := frameEval[[]bool](p, `["reset", "epochs", "save"].map(c => document.querySelector('[data-control="'+c+'"]').hasAttribute("data-hidden-by-embedder"))`); !reflect.DeepEqual(hidden, []bool{true, false, true}) {
		t.Errorf("reset, epochs, save hidden: %v, want true, false, true", hidden)
	}
	if embed, _ := frameEval[bool](p, `document.body.classList.contains("embed")`); !embed {
		t.Error("the frame is not an embed")
	}
	if layers, _ := frameEval[string](p, `document.querySelector("#summary tbody").textContent`); !strings.Contains(layers, "dense_2") || strings.Contains(layers, "conv2d") {
		t.Errorf("the embed's layers: %s", layers)
	}
	rowOf := func(p *page) rowPixels {
		t.Helper()
		s, err := frameEval[string](p, rowScript(2))
		if err != nil {
			t.Fatal(err)
		}
		var r rowPixels
		if err := json.Unmarshal([]byte(s), &r); err != nil {
			t.Fatal(err)
		}
		return r
	}
	fromFile := rowOf(p)

	mu.Lock()
	post["/linear.html"] = strings.Replace(strings.Replace(post["/weights.html"], "model=conv32", "model=linear", 1), "&amp;weights="+files.URL+"/linear.safetensors", "", 1)
	mu.Unlock()
	// In a browser of its own: this one keeps the file's model as linear's.
	r := open(t, host.URL+"/linear.html", 1280, 900, 1)
	r.waitInFrame("the linear model's embed", `document.body.dataset.state === "idle" && document.getElementById("source").textContent.startsWith("Pretrained")`, 40*time.Second)
	if direct := rowOf(r); !reflect.DeepEqual(direct, fromFile) {
		t.Error("the embed with weights= does not reconstruct as the file's model does")
	}
	p.noConsoleErrors()

	// Files the page must refuse, in words, keeping its own model.
	q := openIdle(t, ts.URL+"/#model=conv32")
	q.click("embed-open")
	for _, tc := range []struct{ file, want string }{
		{"notes.txt", "safetensors"},
		{"nocors.safetensors", "Access-Control-Allow-Origin"},
		{"huge.safetensors", "larger than"},
	} {
		setWeightsOn(t, q, files.URL+"/"+tc.file)
		q.waitFor("the refusal of "+tc.file, preview+`?.getElementById("alert-msg")?.textContent.includes(`+jsString(tc.want)+`) && `+preview+`.body.dataset.state === "idle"`, 30*time.Second)
		msg := eval[string](q, preview+`.getElementById("alert-msg").textContent`)
		src := eval[string](q, preview+`.getElementById("source").textContent`)
		t.Logf("%s: %s", tc.file, msg)
		if !strings.HasPrefix(src, "Pretrained") {
			t.Errorf("after refusing %s the preview shows %q", tc.file, src)
		}
	}
}

// setWeightsOn types an address into the dialog's weights field.
func setWeightsOn(t *testing.T, p *page, u string) {
	t.Helper()
	if err := chromedp.Do(p.ctx, chromedp.Focus(chromedp.ID("embed-weights"))); err != nil {
		t.Fatal(err)
	}
	eval[bool](p, `(document.activeElement.select(), true)`)
	if err := chromedp.Do(p.ctx, chromedp.KeyEvent(u+kb.Tab)); err != nil {
		t.Fatal(err)
	}
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
