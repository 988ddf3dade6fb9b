// Loader: fetch and compile the Go WebAssembly once, with progress, then run
// it as the page. The compiled module is kept on window so the page can
// hand it to its web workers without a second download or compile.
//
// The first grid needs three things besides the code: the model's weights
// and the sample digits, which are fetched here while the code downloads
// and compiles, and the leading worker, which starts as soon as the code
// is compiled and gets those files from here (the page's Go adopts it:
// aeplayTakeLeader). The page's layout is reserved by index.html and
// style.css; what depends on the address (the model's tab, story and layer
// rows, an embed, a theme) is set here before the first paint of the code.
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

  // The address, read as the page's Go reads it (ParseHash) for the few
  // settings that change the layout; a model given as a spec, or anything
  // unusual, is left to the Go.
  const hash = new URLSearchParams(location.hash.slice(1));
  const name = hash.get("model") || "simple";
  const tab = [...document.querySelectorAll("#model-tabs [data-model][data-layers]")].find((t) => t.dataset.model === name);
  if (hash.get("embed") === "1") document.body.classList.add("embed");
  const theme = hash.get("theme");
  if (theme === "light" || theme === "dark") document.documentElement.dataset.theme = theme;
  // The grid's first row shows the test set's first digits until drawn
  // (style.css), unless it will show something else.
  const grid = document.getElementById("grid");
  if (grid && (!tab || tab.dataset.baseline)) grid.dataset.firstRow = "other";
  if (tab) {
    for (const t of document.querySelectorAll("#model-tabs [role=tab]")) t.setAttribute("aria-selected", String(t === tab));
    for (const a of document.querySelectorAll(".story article[data-model]")) a.hidden = a.dataset.model !== name;
    // Empty rows, as many as the model has layers: the table keeps its height.
    const body = document.querySelector("#summary tbody");
    if (body && !body.rows.length) {
      for (let i = 0; i < +tab.dataset.layers; i++) {
        const row = body.insertRow();
        for (let j = 0; j < 3; j++) row.insertCell().textContent = "\u00a0";
      }
    }
  }

  // Fetched while the code compiles: the model's pretrained weights (and
  // those of the model a denoiser is shown beside) and the sample digits.
  // A failed fetch hands over null, and the worker fetches the file itself.
  const files = ["web/data/sample-images-idx3-ubyte.gz", "web/data/sample-labels-idx1-ubyte.gz"];
  if (tab) {
    files.push("web/models/" + name + ".safetensors");
    if (tab.dataset.baseline) files.push("web/models/" + tab.dataset.baseline + ".safetensors");
  }
  const prefetched = files.map((f) => fetch(f).then((r) => (r.ok ? r.arrayBuffer() : null)).catch(() => null));

  async function fetchWithProgress() {
    const resp = await fetch(url);
    if (!resp.ok) throw new Error(url + ": HTTP " + resp.status);
    const total = Number(resp.headers.get("Content-Length")) || 0;
    const encoded = resp.headers.get("Content-Encoding");
    if (!resp.body || typeof TransformStream === "undefined") return resp;
    let loaded = 0, shown = 0;
    const counter = new TransformStream({
      transform(chunk, ctl) {
        loaded += chunk.byteLength;
        // Content-Length counts compressed bytes; the stream yields them
        // decompressed, so only the unencoded case gets a percentage. The
        // line changes every 5% or half megabyte, not every chunk.
        const step = total && !encoded ? Math.floor(20 * loaded / total) : Math.floor(loaded / 5e5);
        if (step !== shown) {
          shown = step;
          say(total && !encoded ? "Loading the network code… " + Math.min(100, 5 * step) + "%"
                                : "Loading the network code… " + (loaded / 1e6).toFixed(1) + " MB");
        }
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

  // startLeader starts the first worker with the compiled module, and sends
  // it the prefetched files over a port of its own as each arrives. Its
  // messages wait here until the page's Go takes it.
  let leader = null;
  const early = [];
  function startLeader(module) {
    if (typeof Worker !== "function") return Promise.resolve();
    const w = new Worker("web/worker.js");
    let started;
    const booting = new Promise((resolve) => { started = resolve; });
    w.onmessage = w.onerror = (e) => {
      if (e.data && e.data.type === "booting") { started(); return; }
      // A crash is the page's to show (with Reset), not the loader's.
      if (e.type === "error") e.preventDefault();
      early.push(e);
    };
    const ch = new MessageChannel();
    w.postMessage({ type: "boot", module, files, port: ch.port2 }, [ch.port2]);
    files.forEach((path, i) => prefetched[i].then((bytes) => ch.port1.postMessage({ path, bytes }, bytes ? [bytes] : [])));
    leader = w;
    return booting;
  }
  // The page's Go takes the leader (once) with the events it sent so far.
  window.aeplayTakeLeader = () => {
    const w = leader;
    leader = null;
    if (!w) return null;
    w.onmessage = w.onerror = null;
    return { worker: w, early: early.splice(0) };
  };

  async function start() {
    if (typeof WebAssembly !== "object") throw new Error("this browser has no WebAssembly");
    if (typeof Go !== "function") throw new Error("web/wasm_exec.js did not load");
    say("Loading the network code…");
    const module = await compile();
    performance.mark("aeplay-compiled");
    window.aeplayModule = module;
    // The page's code runs once the worker has its module (a worker starts
    // through this thread, which the page's code keeps busy a while), or
    // after a quarter of a second at most.
    await Promise.race([startLeader(module), new Promise((r) => setTimeout(r, 250))]);
    say("Starting…");
    const go = new Go();
    const instance = await WebAssembly.instantiate(module, go.importObject);
    // A turn of the event loop between instantiating and running: two
    // shorter tasks on the main thread rather than one long one.
    await new Promise((r) => setTimeout(r, 0));
    // The SIMD kernel module imports Go's memory from here (nn/kernel_js.go).
    globalThis.aeplayGoMemory = instance.exports.mem;
    go.run(instance).then(() => fail(new Error("the page's Go program exited")));
  }
  window.addEventListener("error", (e) => { if (document.body.dataset.state === "loading") fail(e.error || e.message); });
  start().catch(fail);
})();
