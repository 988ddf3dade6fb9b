// Trains a seed model with TensorFlow.js's Keras API (tf.layers), the post's
// recipe, as an independent reference for our engine's numerics:
//   node scripts/bench/tfjs_reference.js deep [epochs] [backend]
// Reads the MNIST files from web/data (make build puts them there).
"use strict";
const fs = require("fs");
const path = require("path");
const zlib = require("zlib");
const tf = require("@tensorflow/tfjs");
const { seedModel } = require("./tfjs_models");
require("@tensorflow/tfjs-backend-wasm");

function idx(file) {
  const b = zlib.gunzipSync(fs.readFileSync(file));
  const nd = b[3];
  const dims = [];
  for (let i = 0; i < nd; i++) dims.push(b.readUInt32BE(4 + 4 * i));
  return { dims, data: b.subarray(4 + 4 * nd) };
}

function images(file) {
  const { dims, data } = idx(file);
  const x = new Float32Array(data.length);
  for (let i = 0; i < data.length; i++) x[i] = data[i] / 255;
  return { n: dims[0], x };
}

async function main() {
  const [name = "deep", epochsArg = "50", backend = "wasm"] = process.argv.slice(2);
  const dataDir = path.join(__dirname, "..", "..", "web", "data");
  await tf.setBackend(backend);
  const train = images(path.join(dataDir, "train-images-idx3-ubyte.gz"));
  const test = images(path.join(dataDir, "t10k-images-idx3-ubyte.gz"));
  const shape = name === "simple" || name === "deep" ? [784] : [28, 28, 1];
  const xt = tf.tensor(train.x, [train.n, ...shape]);
  const xv = tf.tensor(test.x, [test.n, ...shape]);
  const m = seedModel(tf, name);
  m.compile({ optimizer: tf.train.adam(0.001), loss: "binaryCrossentropy" });
  console.log(`${name}: ${m.countParams()} params, TensorFlow.js ${tf.version.tfjs} (${tf.getBackend()})`);
  const t0 = Date.now();
  await m.fit(xt, xt, {
    epochs: Number(epochsArg), batchSize: 256, shuffle: true, validationData: [xv, xv], verbose: 0,
    callbacks: { onEpochEnd: (e, logs) => console.log(`Epoch ${e + 1}/${epochsArg} - ${((Date.now() - t0) / 1000).toFixed(0)}s - loss: ${logs.loss.toFixed(4)} - val_loss: ${logs.val_loss.toFixed(4)}`) },
  });
}
main().catch((e) => { console.error(e); process.exit(1); });
