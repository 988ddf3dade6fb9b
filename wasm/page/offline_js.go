//go:build js && wasm

package page

import (
	"strings"
	"syscall/js"

	"aeplay/wasm/dom"
	"aeplay/wasm/jsutil"
)

// registerOffline installs the service worker (sw.js, at the site's root)
// once the first grid is on screen, so it never competes with the first
// load, then tells it which files this visit used before it took control:
// the page's own and the model's weights the worker fetched. When it has
// them, body[data-offline] is "ready". Where service workers are missing
// or refused (an embed in a sandboxed frame, a private window), the page
// simply stays online-only.
func (a *app) registerOffline() {
	sw := js.Global().Get("navigator").Get("serviceWorker")
	if !sw.Truthy() {
		return
	}
	onMessage := js.FuncOf(func(_ js.Value, args []js.Value) any {
		if d := args[0].Get("data"); d.Truthy() && d.Get("type").String() == "offline-ready" {
			dom.Body().V.Get("dataset").Set("offline", "ready")
		}
		return nil
	})
	sw.Call("addEventListener", "message", onMessage)
	go func() {
		if _, err := jsutil.Await(sw.Call("register", "sw.js")); err != nil {
			println("aeplay: no offline copy:", err.Error())
			return
		}
		reg, err := jsutil.Await(sw.Get("ready"))
		if err != nil || !reg.Get("active").Truthy() {
			return
		}
		var urls []any
		origin := js.Global().Get("location").Get("origin").String()
		entries := js.Global().Get("performance").Call("getEntriesByType", "resource")
		for i := range entries.Length() {
			if u := entries.Index(i).Get("name").String(); strings.HasPrefix(u, origin+"/") {
				urls = append(urls, u)
			}
		}
		if !a.entry.Custom { // a custom model has no pretrained file
			urls = append(urls, "web/models/"+a.ready.Model+".safetensors")
		}
		reg.Get("active").Call("postMessage", map[string]any{"cache": urls})
	}()
}
