// Runs a GOOS=js GOARCH=wasm test binary in node like Go's own
// wasm_exec_node.js (which stays unedited), and also puts the Go program's
// memory at globalThis.aeplayGoMemory, as the page's loader does, so that
// nn's WebAssembly SIMD kernel can be tested alongside the portable one.
//   go test -exec scripts/wasmexec/go_js_wasm_exec_simd ...
"use strict";

if (process.argv.length < 3) {
	console.error("usage: go_js_wasm_exec_simd [wasm binary] [arguments]");
	process.exit(1);
}

globalThis.require = require;
globalThis.fs = require("fs");
globalThis.path = require("path");
globalThis.TextEncoder = require("util").TextEncoder;
globalThis.TextDecoder = require("util").TextDecoder;
globalThis.performance ??= require("performance");
globalThis.crypto ??= require("crypto");

require(process.env.GOROOT_WASM_EXEC);

const go = new Go();
go.argv = process.argv.slice(2);
go.env = Object.assign({ TMPDIR: require("os").tmpdir() }, process.env);
go.exit = process.exit;
WebAssembly.instantiate(fs.readFileSync(process.argv[2]), go.importObject).then((result) => {
	globalThis.aeplayGoMemory = result.instance.exports.mem;
	process.on("exit", (code) => {
		if (code === 0 && !go.exited) {
			go._pendingEvent = { id: 0 };
			go._resume();
		}
	});
	return go.run(result.instance);
}).catch((err) => {
	console.error(err);
	process.exit(1);
});
