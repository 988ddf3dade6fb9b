// The seed models in TensorFlow.js's Keras API (tf.layers), shared by the
// reference trainer (node) and the benchmark page (browser).
"use strict";
function seedModel(tf, name) {
  const L = tf.layers;
  const conv = (f, opts = {}) => L.conv2d({ filters: f, kernelSize: 3, activation: "relu", padding: "same", ...opts });
  const m = tf.sequential();
  switch (name) {
    case "simple":
      m.add(L.dense({ units: 32, activation: "relu", inputShape: [784] }));
      m.add(L.dense({ units: 784, activation: "sigmoid" }));
      break;
    case "deep":
      m.add(L.dense({ units: 128, activation: "relu", inputShape: [784] }));
      for (const u of [64, 32, 64, 128]) m.add(L.dense({ units: u, activation: "relu" }));
      m.add(L.dense({ units: 784, activation: "sigmoid" }));
      break;
    case "conv":
      m.add(conv(16, { inputShape: [28, 28, 1] }));
      m.add(L.maxPooling2d({ poolSize: 2, padding: "same" }));
      m.add(conv(8));
      m.add(L.maxPooling2d({ poolSize: 2, padding: "same" }));
      m.add(conv(8, { strides: 2 }));
      m.add(L.flatten());
      m.add(L.reshape({ targetShape: [4, 4, 8] }));
      m.add(conv(8));
      m.add(L.upSampling2d({ size: [2, 2] }));
      m.add(conv(8));
      m.add(L.upSampling2d({ size: [2, 2] }));
      m.add(conv(16, { padding: "valid" }));
      m.add(L.upSampling2d({ size: [2, 2] }));
      m.add(L.conv2d({ filters: 1, kernelSize: 3, activation: "sigmoid", padding: "same" }));
      break;
    case "denoise":
      m.add(conv(32, { inputShape: [28, 28, 1] }));
      m.add(L.maxPooling2d({ poolSize: 2, padding: "same" }));
      m.add(conv(32));
      m.add(L.maxPooling2d({ poolSize: 2, padding: "same" }));
      m.add(conv(32));
      m.add(L.upSampling2d({ size: [2, 2] }));
      m.add(conv(32));
      m.add(L.upSampling2d({ size: [2, 2] }));
      m.add(L.conv2d({ filters: 1, kernelSize: 3, activation: "sigmoid", padding: "same" }));
      break;
    default:
      throw new Error("unknown model " + name);
  }
  return m;
}

if (typeof module !== "undefined") module.exports = { seedModel };
