// Loader: have the Go WebAssembly fetched and compiled once, with progress,
// then run it as the page. The compiled module is kept on window so the
// page can hand it to its web workers without a second download or compile.
//
// The leading worker starts first, as this script runs in the page's
// head, parser-blocking: it fetches and compiles the code itself
// (worker.js) and sends the module here. Off the main thread, the download
// and the streaming compile block nothing the reader does (Lighthouse
// counts such tasks as blocking time), and they start before the page's
// first layout, which takes the main thread for 100–200 ms (a deferred or
// async script, or one at the end of the body, runs after it). Fetching
// here and handing the body to the worker as a stream was slower: the
// page's thread pumps such a stream, 6 MB of it, in tasks of ~100 ms.
// Without a worker the code compiles here.
//
// The first grid needs three things besides the code: the model's weights
// and the sample digits, which are fetched here while the code downloads
// and compiles, and the leading worker, which gets those files from here
// (the page's Go adopts it: aeplayTakeLeader). The page's layout is
// reserved by index.html and style.css; what depends on the address (the
// model's tab, story and layer rows, an embed, a theme) is set here before
// the first paint of the code.
"use strict";
(function () {
  const url = "web/app.wasm";
  const say = (s) => {
    const status = document.getElementById("status");
    if (status) status.textContent = s;
  };
  const fail = (err) => {
    if (document.body) document.body.dataset.state = "error";
    const box = document.getElementById("alert");
    const msg = document.getElementById("alert-msg");
    const text = "The playground could not start: " + (err && err.message ? err.message : err) +
      ". Reload the page; if it keeps failing, your browser may lack WebAssembly.";
    if (box && msg) { msg.textContent = text; box.hidden = false; } else { say(text); }
    console.error(err);
  };

  // progress shows the code's download: Content-Length counts compressed
  // bytes and the stream yields them decompressed, so only the unencoded
  // case gets a percentage. The line changes every 5% or half megabyte.
  let shown = 0;
  function progress(loaded, total, encoded) {
    document.body.dataset.codeLoaded = loaded; // for the tests
    const step = total && !encoded ? Math.floor(20 * loaded / total) : Math.floor(loaded / 5e5);
    if (step === shown) return;
    shown = step;
    say(total && !encoded ? "Loading the network code… " + Math.min(100, 5 * step) + "%"
                          : "Loading the network code… " + (loaded / 1e6).toFixed(1) + " MB");
  }

  // compileHere fetches and compiles the code on this thread: the way
  // without a worker, or when the worker could not.
  async function compileHere() {
    const resp = await fetch(url);
    if (!resp.ok) throw new Error(url + ": HTTP " + resp.status);
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

  // startLeader starts the first worker, which fetches and compiles the
  // code and answers with the module (the promise returned), and sends it
  // the prefetched files over a port of its own as each arrives. Its other
  // messages wait here until the page's Go takes it.
  let leader = null;
  const early = [];
  let filesPort = null;
  function startLeader() {
    const w = new Worker("web/worker.js", { name: "aeplay-leader" });
    let got, failed;
    const compiled = new Promise((resolve, reject) => { got = resolve; failed = reject; });
    w.onmessage = w.onerror = (e) => {
      const d = e.data;
      if (d && d.type === "progress") { progress(d.loaded, d.total, d.encoded); return; }
      if (d && d.type === "module") {
        try { if (d.fetched > 0) performance.mark("aeplay-code-fetched", { startTime: d.fetched - performance.timeOrigin }); } catch (err) { /* a timeline mark only */ }
        got(d.module);
        return;
      }
      // A failure before the module came is the loader's (it compiles
      // here instead); a crash after it is the page's to show, with Reset.
      if (e.type === "error") e.preventDefault();
      if (e.type === "error" || (d && d.type === "error" && d.fatal)) failed(new Error((d && d.message) || e.message || "the worker crashed"));
      early.push(e);
    };
    const ch = new MessageChannel();
    w.postMessage({ type: "boot", url: "app.wasm", port: ch.port2 }, [ch.port2]);
    filesPort = ch.port1;
    leader = w;
    return compiled;
  }

  // fetchFiles fetches them while the code compiles, and sends each to
  // the leader as it arrives (first the list, so that the worker waits for
  // them rather than fetching them again). A failed fetch hands over null,
  // and the worker fetches the file itself.
  function fetchFiles(files) {
    const port = filesPort;
    if (port) port.postMessage({ declare: files });
    for (const path of files) {
      fetch(path).then((r) => (r.ok ? unzipped(path, r).arrayBuffer() : null)).catch(() => null)
        .then((bytes) => { if (port) port.postMessage({ path, bytes }, bytes ? [bytes] : []); });
    }
  }
  // unzipped is a gzip file's response decompressed by the browser, which
  // is quicker than the worker's Go at it on a first load (its decoder not
  // yet compiled); Go reads IDX files either way. A server that already
  // decoded it (Content-Encoding: gzip) makes this fail, and the worker
  // then fetches the file itself.
  function unzipped(path, r) {
    if (!path.endsWith(".gz") || typeof DecompressionStream !== "function" || !r.body) return r;
    return new Response(r.body.pipeThrough(new DecompressionStream("gzip")));
  }
  // The page's Go takes the leader (once) with the events it sent so far.
  window.aeplayTakeLeader = () => {
    const w = leader;
    leader = null;
    if (!w) return null;
    w.onmessage = w.onerror = null;
    return { worker: w, early: early.splice(0) };
  };

  // layout sets what depends on the address, once the page is parsed, and
  // returns the files the first grid needs.
  function layout() {
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
    return files;
  }

  async function start(compiled) {
    if (typeof WebAssembly !== "object") throw new Error("this browser has no WebAssembly");
    if (typeof Go !== "function") throw new Error("web/wasm_exec.js did not load");
    let module = null;
    if (compiled) {
      try { module = await compiled; } catch (err) {
        console.warn("The worker could not load the code (" + err.message + "); loading it here.");
        if (leader) leader.terminate();
        leader = null;
        early.length = 0;
      }
    }
    // Where the code was compiled, for the tests: "worker", or "page".
    document.body.dataset.compiled = module ? "worker" : "page";
    if (!module) module = await compileHere();
    performance.mark("aeplay-compiled");
    window.aeplayModule = module;
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
  window.addEventListener("error", (e) => { if (document.body && document.body.dataset.state === "loading") fail(e.error || e.message); });

  // The leader starts at once, what needs the page once it is parsed (and
  // wasm_exec.js, a deferred script, has run).
  let compiled = null;
  if (typeof WebAssembly === "object" && typeof Worker === "function") {
    try { compiled = startLeader(); } catch (err) { leader = null; }
  }
  const parsed = document.readyState === "loading"
    ? new Promise((resolve) => document.addEventListener("DOMContentLoaded", resolve, { once: true }))
    : Promise.resolve();
  parsed.then(() => {
    say("Loading the network code…");
    fetchFiles(layout());
    return start(compiled);
  }).catch(fail);
})();
