// Worker bootstrap: run the page's Go WebAssembly as a training worker.
// The page posts {type: "boot", module} first (a compiled
// WebAssembly.Module, so nothing is downloaded or compiled twice); other
// messages that arrive before Go is listening are queued and replayed.
// The first worker (the loader's) gets {type: "boot", url} instead: it
// fetches and compiles the code off the page's thread, reporting progress,
// and sends the module to the page ({type: "module"}) before running it.
// Its boot also gives a port over which the page names the files it is
// fetching for it, then sends each as it arrives: the Go side asks for
// them with aeplayTakeFile before fetching a file itself.
"use strict";
// The loader's worker (named so) starts the code's download before
// anything else, even its glue: it is the first thing the page waits for.
const early = self.name === "aeplay-leader" ? fetch("app.wasm").catch(() => null) : null;
// It opens the database where trained models are kept meanwhile too
// (store_js.go's openStore takes it: the same name, version and object
// store): on a first visit the open takes 50–150 ms, on the first grid's
// path. The promise gives {db} or {error}; it never rejects.
self.aeplayStoreOpening = self.name === "aeplay-leader" ? new Promise((resolve) => {
  try {
    const req = indexedDB.open("aeplay", 1);
    req.onupgradeneeded = () => {
      if (!req.result.objectStoreNames.contains("weights")) req.result.createObjectStore("weights");
    };
    req.onsuccess = () => resolve({ db: req.result });
    req.onerror = () => resolve({ error: req.error || new Error("IndexedDB: error") });
  } catch (error) { resolve({ error }); }
}) : null;
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
  if (e.data.port) {
    // {declare: paths} first, then {path, bytes} for each as it arrives.
    const arrived = new Map();
    e.data.port.onmessage = (m) => {
      if (Array.isArray(m.data.declare)) {
        for (const path of m.data.declare) files.set(path, new Promise((resolve) => arrived.set(path, resolve)));
        return;
      }
      const r = arrived.get(m.data.path);
      if (r) r(m.data.bytes || null);
    };
  }
  try {
    if (glueError) throw new Error("its code (wasm_exec.js) did not load: " + (glueError.message || glueError));
    const go = new Go();
    let instance;
    let module = e.data.module;
    if (!(module instanceof WebAssembly.Module)) {
      const url = e.data.url || "app.wasm";
      module = await compile(url);
      // When the download ended, on the clock all threads share: the page
      // marks it (aeplay-code-fetched), for the first load's timeline.
      const t = performance.getEntriesByName(new URL(url, location.href).href)[0];
      self.postMessage({ type: "module", module, fetched: t ? performance.timeOrigin + t.responseEnd : 0 });
    }
    instance = await WebAssembly.instantiate(module, go.importObject);
    // The SIMD kernel module imports Go's memory from here (nn/kernel_js.go).
    self.aeplayGoMemory = instance.exports.mem;
    go.run(instance).then(() => report("the training worker stopped unexpectedly; press Reset to start a new one"));
  } catch (err) {
    report("the training worker could not start: " + (err && err.message ? err.message : err));
  }
};
// compile fetches the code (or takes the early download) and compiles it,
// posting its progress to the page (which shows it: see the loader's
// progress).
async function compile(url) {
  const resp = (early && await early) || await fetch(url);
  if (!resp.ok) throw new Error(url + ": HTTP " + resp.status);
  let bytes = resp.body || await resp.arrayBuffer();
  if (bytes instanceof ReadableStream && typeof TransformStream === "function") {
    const total = Number(resp.headers.get("Content-Length")) || 0;
    const encoded = resp.headers.get("Content-Encoding") || "";
    let loaded = 0, said = 0;
    const counter = new TransformStream({
      transform(chunk, ctl) {
        loaded += chunk.byteLength;
        if (loaded - said >= 1 << 18) { // a message every 256 kB, not every chunk
          said = loaded;
          self.postMessage({ type: "progress", loaded, total, encoded });
        }
        ctl.enqueue(chunk);
      },
    });
    bytes = bytes.pipeThrough(counter);
  }
  // The Content-Type is set here, so the server's cannot break streaming
  // compilation.
  const body = new Response(bytes, { headers: { "Content-Type": "application/wasm" } });
  if (WebAssembly.compileStreaming) return WebAssembly.compileStreaming(body);
  return WebAssembly.compile(await body.arrayBuffer());
}

// Go calls this once its onmessage handler is installed.
self.aeplayWorkerReady = () => {
  const pending = queue;
  queue = null;
  for (const e of pending) self.onmessage(e);
};
self.addEventListener("error", (e) => report("the training worker crashed: " + (e.message || "unknown error") + "; press Reset to start a new one"));
