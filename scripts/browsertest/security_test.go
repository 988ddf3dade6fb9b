package browsertest

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestContentSecurityPolicy: the page declares a policy without inline
// script or eval (WebAssembly compilation aside), loads and trains under
// it without a violation, and the policy is enforced: an injected inline
// script and a style attribute are refused.
func TestContentSecurityPolicy(t *testing.T) {
	ts := serve(t, nil)
	p := open(t, "about:blank", 1280, 900, 1)
	p.visit(ts.URL + "/#model=simple&epochs=1&samples=512&val=256&batch=64&autostart=1")
	policy := eval[string](p, `document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.content || ""`)
	for _, want := range []string{"default-src 'self'", "script-src 'self' 'wasm-unsafe-eval'", "object-src 'none'", "base-uri 'none'"} {
		if !strings.Contains(policy, want) {
			t.Errorf("the policy %q lacks %q", policy, want)
		}
	}
	for _, bad := range []string{"'unsafe-inline'", "'unsafe-eval'"} {
		if strings.Contains(policy, bad) {
			t.Errorf("the policy %q allows %s", policy, bad)
		}
	}
	// No source is any host; only connect-src reaches other origins (a
	// weights= file: https, or a local server while writing a post).
	for _, d := range strings.Split(policy, ";") {
		f := strings.Fields(d)
		if len(f) == 0 {
			continue
		}
		for _, src := range f[1:] {
			if src == "*" || f[0] != "connect-src" && src != "'self'" && !strings.HasPrefix(src, "'") && src != "data:" && src != "blob:" {
				t.Errorf("%s allows %s", f[0], src)
			}
		}
		if f[0] == "connect-src" && strings.Join(f[1:], " ") != "'self' https: http://localhost:* http://127.0.0.1:*" {
			t.Errorf("connect-src is %v", f[1:])
		}
	}
	eval[bool](p, `(window.cspViolations = [], document.addEventListener("securitypolicyviolation", e => cspViolations.push(e.violatedDirective + " " + e.blockedURI)), true)`)
	p.waitFor("the run to finish", `document.getElementById("log").textContent.includes("Epoch 1/1") && document.body.dataset.state === "idle"`, 120*time.Second)
	// The latent map sets colours per label, the draw pad and the
	// comparison build elements: all through the CSSOM and the DOM.
	p.click("xtab-map")
	p.click("map-draw")
	p.waitFor("the map", `document.body.dataset.mapPoints !== undefined`, 30*time.Second)
	if v := eval[[]string](p, `cspViolations`); len(v) > 0 {
		t.Errorf("the page broke its own policy: %v", v)
	}
	p.noConsoleErrors()

	refused := eval[[]string](p, `new Promise(done => {
		window.inlineRan = false;
		const s = document.createElement("script");
		s.textContent = "window.inlineRan = true";
		document.body.append(s);
		const d = document.createElement("div");
		d.setAttribute("style", "color: red");
		document.body.append(d);
		setTimeout(() => done(cspViolations.map(v => v.split(" ")[0]).concat(inlineRan ? ["it ran"] : [])), 300);
	})`)
	if len(refused) < 2 || strings.Contains(strings.Join(refused, " "), "it ran") {
		t.Errorf("an inline script and a style attribute should both be refused; violations: %v", refused)
	}
}

// TestSandboxedEmbedRuns: the README's snippet, sandbox attribute and all,
// in a host page: the embed loads, trains in its workers, keeps the model
// (IndexedDB) and draws it. (The host is same-origin here; the sandbox
// flags apply the same way on another site's page.)
func TestSandboxedEmbedRuns(t *testing.T) {
	snippet := readmeSnippet(t)
	sandbox := regexp.MustCompile(`sandbox="([^"]*)"`).FindStringSubmatch(snippet)
	if sandbox == nil {
		t.Fatalf("the README's snippet has no sandbox attribute: %s", snippet)
	}
	for _, need := range []string{"allow-scripts", "allow-same-origin", "allow-downloads"} {
		if !strings.Contains(sandbox[1], need) {
			t.Errorf("the sandbox %q lacks %s (the demo needs it)", sandbox[1], need)
		}
	}
	quick := regexp.MustCompile(`src="/#[^"]*"`).ReplaceAllString(snippet, `src="/#model=simple&embed=1&epochs=1&samples=512&val=256&batch=64&autostart=1"`)
	ts := serve(t, map[string][]byte{"/host.html": fmt.Appendf(nil, hostPage, quick)})
	p := open(t, ts.URL+"/host.html", 1280, 900, 1)
	frame := `document.querySelector("iframe").contentDocument`
	p.waitFor("the sandboxed embed's run", frame+`?.getElementById("log")?.textContent.includes("Epoch 1/1") && `+frame+`.body.dataset.state === "idle"`, 120*time.Second)
	if v := p.valLossesIn(frame); len(v) < 2 || v[len(v)-1] >= v[0] {
		t.Errorf("the sandboxed embed's val loss did not fall: %v", v)
	}
	// The trained model is kept: its weights are in the frame's IndexedDB.
	kept := eval[bool](p, `new Promise(done => { const r = document.querySelector("iframe").contentWindow.indexedDB.open("aeplay");
		r.onerror = () => done(false);
		r.onsuccess = () => { const db = r.result;
			if (!db.objectStoreNames.contains("weights")) { db.close(); return done(false) }
			const g = db.transaction("weights").objectStore("weights").get("simple");
			g.onsuccess = () => { done(g.result != null); db.close() }; g.onerror = () => done(false) } })`)
	if !kept {
		t.Error("the sandboxed embed did not keep its trained model in IndexedDB")
	}
	p.noConsoleErrors()
}

// valLossesIn reads the val losses from the log of the document that the
// expression doc gives.
func (p *page) valLossesIn(doc string) []float64 {
	var out []float64
	for _, m := range valLossRE.FindAllStringSubmatch(eval[string](p, doc+`.getElementById("log").textContent`), -1) {
		var v float64
		fmt.Sscan(m[1], &v)
		out = append(out, v)
	}
	return out
}
