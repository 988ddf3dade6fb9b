// Loader: fetch and compile the Go WebAssembly once, with progress, then run
// it as the page. The compiled module is kept on window so the page can
// hand it to its web workers without a second download or compile.
"use strict";
(function () {
  const url = "web/app.wasm";
  const status = document.getElementById("status");
  const say = (s) => { if (status) status.textContent = s; };
  const fail = (err) => {
    document.body.dataset.state = "error";
    const box = document.getElementById("alert");
    const msg = document.getElementById("alert-msg");
    const text = "The playground could not start: " + (err && err.message ? err.message : err) +
      ". Reload the page; if it keeps failing, your browser may lack WebAssembly.";
    if (box && msg) { msg.textContent = text; box.hidden = false; } else { say(text); }
    console.error(err);
  };

  async function fetchWithProgress() {
    const resp = await fetch(url);
    if (!resp.ok) throw new Error(url + ": HTTP " + resp.status);
    const total = Number(resp.headers.get("Content-Length")) || 0;
    const encoded = resp.headers.get("Content-Encoding");
    if (!resp.body || typeof TransformStream === "undefined") return resp;
    let loaded = 0;
    const counter = new TransformStream({
      transform(chunk, ctl) {
        loaded += chunk.byteLength;
        // Content-Length counts compressed bytes; the stream yields them
        // decompressed, so only the unencoded case gets a percentage.
        say(total && !encoded ? "Loading the network code… " + Math.min(100, Math.round(100 * loaded / total)) + "%"
                              : "Loading the network code… " + (loaded / 1e6).toFixed(1) + " MB");
        ctl.enqueue(chunk);
      },
    });
    return new Response(resp.body.pipeThrough(counter), { headers: { "Content-Type": "application/wasm" } });
  }

  async function compile() {
    const resp = await fetchWithProgress();
    if (WebAssembly.compileStreaming) {
      try { return await WebAssembly.compileStreaming(resp); } catch (e) {
        // A server that sends the wrong MIME type breaks streaming
        // compilation; fall through to the buffered path.
        if (!(e instanceof TypeError)) throw e;
      }
    }
    const again = await fetch(url);
    return WebAssembly.compile(await again.arrayBuffer());
  }

  async function start() {
    if (typeof WebAssembly !== "object") throw new Error("this browser has no WebAssembly");
    if (typeof Go !== "function") throw new Error("web/wasm_exec.js did not load");
    say("Loading the network code…");
    const module = await compile();
    performance.mark("aeplay-compiled");
    window.aeplayModule = module;
    const go = new Go();
    const instance = await WebAssembly.instantiate(module, go.importObject);
    // The SIMD kernel module imports Go's memory from here (nn/kernel_js.go).
    globalThis.aeplayGoMemory = instance.exports.mem;
    go.run(instance).then(() => fail(new Error("the page's Go program exited")));
  }
  window.addEventListener("error", (e) => { if (document.body.dataset.state === "loading") fail(e.error || e.message); });
  start().catch(fail);
})();
