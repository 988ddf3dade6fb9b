// Measures TensorFlow.js training speed (samples/s at batch 256) for each
// seed model and backend, in this browser. scripts/bench/main.go opens this
// page in headless Chromium and reads window.benchResult.
"use strict";
(async function () {
  const out = document.getElementById("out");
  const params = new URLSearchParams(location.search);
  const models = (params.get("models") || "simple,deep,conv,denoise").split(",");
  const backends = (params.get("backends") || "cpu,wasm,webgl").split(",");
  const budget = Number(params.get("seconds") || 3) * 1000;
  const batch = 256;
  tf.wasm.setWasmPaths("node_modules/@tensorflow/tfjs-backend-wasm/dist/");
  const results = [];
  const log = (s) => { out.textContent += "\n" + s; };
  for (const backend of backends) {
    let ok = false;
    try { ok = await tf.setBackend(backend); await tf.ready(); } catch (e) { ok = false; }
    if (!ok || tf.getBackend() !== backend) {
      for (const name of models) results.push({ backend, model: name, error: "backend unavailable" });
      continue;
    }
    for (const name of models) {
      const m = seedModel(tf, name);
      m.compile({ optimizer: tf.train.adam(0.001), loss: "binaryCrossentropy" });
      const shape = name === "simple" || name === "deep" ? [batch, 784] : [batch, 28, 28, 1];
      const x = tf.randomUniform(shape);
      try {
        await m.trainOnBatch(x, x); // warm-up: compiles kernels, allocates
        let steps = 0;
        const t0 = performance.now();
        do {
          const loss = await m.trainOnBatch(x, x);
          if (!isFinite(loss)) throw new Error("loss " + loss);
          steps++;
        } while (performance.now() - t0 < budget);
        const sps = (steps * batch) / ((performance.now() - t0) / 1000);
        results.push({ backend, model: name, samplesPerSec: sps, steps });
        log(`${backend} ${name}: ${sps.toFixed(0)} samples/s (${steps} steps)`);
      } catch (e) {
        results.push({ backend, model: name, error: String(e.message || e).slice(0, 120) });
        log(`${backend} ${name}: ${e.message || e}`);
      }
      x.dispose();
      m.dispose();
    }
  }
  window.benchResult = JSON.stringify({ tfjs: tf.version.tfjs, results });
  log("done");
})();
