// Worker bootstrap: run the page's Go WebAssembly as a training worker.
// The page posts {type: "boot", module} first (a compiled
// WebAssembly.Module, so nothing is downloaded or compiled twice); other
// messages that arrive before Go is listening are queued and replayed.
// The first worker's boot also names files the page is fetching for it
// (files) and a port they come over as each arrives: the Go side asks for
// them with aeplayTakeFile before fetching a file itself.
"use strict";
// Go's glue. A load cut short because the page is going away (Firefox logs
// NS_BINDING_ABORTED for it) is no error; a load that really failed is
// said when the boot message comes, as any failed start is.
let glueError = null;
try { importScripts("wasm_exec.js"); } catch (err) { glueError = err; }
let queue = [];
const files = new Map(); // path → promise of its bytes (an ArrayBuffer, or null: fetch it)
const report = (message) => self.postMessage({ type: "error", fatal: true, message });
self.aeplayTakeFile = (path) => {
  const p = files.get(path);
  files.delete(path);
  return p;
};
self.onmessage = async (e) => {
  if (!e.data || e.data.type !== "boot") { if (queue) queue.push(e); return; }
  if (e.data.port && Array.isArray(e.data.files)) {
    self.postMessage({ type: "booting" }); // the loader waits for this to start the page's code
    const arrived = new Map();
    for (const path of e.data.files) files.set(path, new Promise((resolve) => arrived.set(path, resolve)));
    e.data.port.onmessage = (m) => { const r = arrived.get(m.data.path); if (r) r(m.data.bytes || null); };
  }
  try {
    if (glueError) throw new Error("its code (wasm_exec.js) did not load: " + (glueError.message || glueError));
    const go = new Go();
    let instance;
    if (e.data.module instanceof WebAssembly.Module) {
      instance = await WebAssembly.instantiate(e.data.module, go.importObject);
    } else {
      const resp = await fetch(e.data.url || "app.wasm");
      const bytes = await resp.arrayBuffer();
      instance = (await WebAssembly.instantiate(bytes, go.importObject)).instance;
    }
    // The SIMD kernel module imports Go's memory from here (nn/kernel_js.go).
    self.aeplayGoMemory = instance.exports.mem;
    go.run(instance).then(() => report("the training worker stopped unexpectedly; press Reset to start a new one"));
  } catch (err) {
    report("the training worker could not start: " + (err && err.message ? err.message : err));
  }
};
// Go calls this once its onmessage handler is installed.
self.aeplayWorkerReady = () => {
  const pending = queue;
  queue = null;
  for (const e of pending) self.onmessage(e);
};
self.addEventListener("error", (e) => report("the training worker crashed: " + (e.message || "unknown error") + "; press Reset to start a new one"));
