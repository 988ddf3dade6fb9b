//go:build js && wasm

// Command app is the playground's one WebAssembly binary. The page runs it
// (loader.js) and hands the compiled module to its web workers, which run
// it too: one download, one compile, two roles.
package main

import (
	"syscall/js"

	"aeplay/wasm/page"
	"aeplay/wasm/worker"
)

func main() {
	if js.Global().Get("document").Truthy() {
		page.Run()
		return
	}
	worker.Serve()
}
