package export

import (
	"fmt"
	"strings"

	"aeplay/nn/spec"
)

// TFJS writes the spec as a TensorFlow.js Layers program for node: the
// same model in Keras' API as JavaScript has it, the page's weights loaded
// by layer name, and the val loss on clean test digits printed as
// "val_loss: X". TF.js pads 'same' and flattens as TensorFlow does, so the
// program is a check of the Keras text's meaning that runs here.
func TFJS(s spec.Spec) (string, error) {
	p, err := s.Plan()
	if err != nil {
		return "", err
	}
	var b strings.Builder
	var penalties []string
	for i, l := range s.Layers {
		in := ""
		if i == 0 {
			in = fmt.Sprintf("inputShape: [%s], ", strings.Trim(pyTuple(s.Input), "(,)"))
		}
		n := p.Layers[i].Name
		// Keras' activity_regularizer: TF.js Layers 4.22 refuses to build
		// a model with one ("Layer invocation in the presence of activity
		// regularizer(s) is not supported yet"), so the program adds the
		// penalty to the loss itself, from the layer's output.
		if l.L1 != 0 || l.L2 != 0 {
			penalties = append(penalties, fmt.Sprintf("%q: [%s, %s]", n, pyFloat(l.L1), pyFloat(l.L2)))
		}
		var t string
		switch l.Kind {
		case spec.Dense:
			t = fmt.Sprintf("tf.layers.dense({%sunits: %d, activation: %q, name: %q})", in, l.Units, l.Activation, n)
		case spec.Conv2D:
			t = fmt.Sprintf("tf.layers.conv2d({%sfilters: %d, kernelSize: %d, strides: %d, activation: %q, padding: %q, name: %q})", in, l.Filters, l.Kernel, l.Strides, l.Activation, l.Padding, n)
		case spec.MaxPooling2D:
			t = fmt.Sprintf("tf.layers.maxPooling2d({%spoolSize: %d, padding: %q, name: %q})", in, l.Size, l.Padding, n)
		case spec.UpSampling2D:
			t = fmt.Sprintf("tf.layers.upSampling2d({%ssize: [%d, %d], name: %q})", in, l.Size, l.Size, n)
		case spec.Flatten:
			t = fmt.Sprintf("tf.layers.flatten({%sname: %q})", in, n)
		case spec.Reshape:
			t = fmt.Sprintf("tf.layers.reshape({%stargetShape: [%s], name: %q})", in, strings.Trim(pyTuple(l.Target), "(,)"), n)
		case spec.Sampling:
			t = fmt.Sprintf("new Sampling({%slatent: %d, heads: [%q, %q], name: %q})", in, l.Units, p.Layers[i].Heads[0], p.Layers[i].Heads[1], n)
		}
		b.WriteString("    " + t + ",\n")
	}
	unit := "784" // the values a digit's loss is divided by
	if s.Sum {
		unit = "1"
	}
	rep := strings.NewReplacer("{{SPEC}}", s.String(), "{{LAYERS}}", strings.TrimRight(b.String(), "\n"),
		"{{INPUT}}", strings.Trim(pyTuple(s.Input), "(,)"), "{{LOSS}}", s.Loss, "{{UNIT}}", unit, "{{PENALTIES}}", "{"+strings.Join(penalties, ", ")+"}")
	return rep.Replace(tfjsTemplate), nil
}

const tfjsTemplate = `// An autoencoder from Autoencoder Playground, as a TensorFlow.js Layers
// program: node model.js WEIGHTS.safetensors --data DIR [--val N]
// prints the val loss on the first N clean test digits (all by default).
// The model's spec: {{SPEC}}
"use strict";
const fs = require("fs");
const path = require("path");
const zlib = require("zlib");
const tf = require("@tensorflow/tfjs");

// A variational autoencoder's code: two Dense heads, z_mean and z_log_var
// (named as Keras numbers them), and z = z_mean + exp(z_log_var / 2)·ε.
// This program only evaluates, with z at its mean (no draw), as the
// page's EvaluateAtMean; each call keeps its KL divergence from N(0, I),
// summed over the batch, for the loss.
class Sampling extends tf.layers.Layer {
  constructor(cfg) {
    super(cfg);
    this.latent = cfg.latent;
    this.heads = cfg.heads;
    this.kl = null;
  }
  build(inputShape) {
    const n = inputShape[inputShape.length - 1], init = tf.initializers.zeros();
    this.w = this.heads.flatMap((h) => [
      this.addWeight(h + "/kernel", [n, this.latent], "float32", init),
      this.addWeight(h + "/bias", [this.latent], "float32", init),
    ]);
    this.built = true;
  }
  computeOutputShape(inputShape) { return [inputShape[0], this.latent]; }
  call(inputs) {
    return tf.tidy(() => {
      const h = Array.isArray(inputs) ? inputs[0] : inputs;
      const [mk, mb, vk, vb] = this.w.map((v) => v.read());
      const mu = tf.add(tf.matMul(h, mk), mb), lv = tf.add(tf.matMul(h, vk), vb);
      if (this.kl) this.kl.dispose();
      this.kl = tf.keep(tf.mul(-0.5, tf.sum(tf.sub(tf.sub(tf.add(1, lv), tf.square(mu)), tf.exp(lv)))));
      return mu;
    });
  }
  static get className() { return "Sampling"; }
}
tf.serialization.registerClass(Sampling);
// The values one digit's loss is divided by: all 784 for Keras' mean, 1
// for a loss summed over the digit (the variational autoencoder's).
const UNIT = {{UNIT}};

const model = tf.sequential({ layers: [
{{LAYERS}}
] });
// The penalized layers (name: [l1, l2]) and a model that also gives their
// outputs, for the penalty's part of the loss.
const PENALTIES = {{PENALTIES}};
const taps = model.layers.filter((l) => PENALTIES[l.name]);
const probe = tf.model({ inputs: model.inputs, outputs: [model.outputs[0], ...taps.map((l) => l.output)] });

function readSafetensors(file) {
  const b = fs.readFileSync(file);
  const n = Number(b.readBigUInt64LE(0));
  const header = JSON.parse(b.subarray(8, 8 + n).toString());
  delete header.__metadata__;
  const out = {};
  for (const [name, e] of Object.entries(header)) {
    const [lo, hi] = e.data_offsets;
    const bytes = b.subarray(8 + n + lo, 8 + n + hi);
    let data;
    if (e.dtype === "F32") {
      data = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
    } else if (e.dtype === "F16" || e.dtype === "BF16") { // the site's files are F16
      data = new Float32Array(bytes.length / 2);
      for (let i = 0; i < data.length; i++) {
        const h = bytes.readUInt16LE(2 * i);
        data[i] = e.dtype === "BF16" ? new Float32Array(new Uint32Array([h << 16]).buffer)[0] : half(h);
      }
    } else {
      throw new Error(name + ": " + e.dtype + " (this program reads F32, F16 and BF16)");
    }
    out[name] = { shape: e.shape, data };
  }
  return out;
}

// half widens an IEEE 754 half-precision value.
function half(h) {
  const sign = h & 0x8000 ? -1 : 1, exp = (h >> 10) & 0x1f, frac = h & 0x3ff;
  if (exp === 0x1f) return frac ? NaN : sign * Infinity;
  if (exp === 0) return sign * frac * 2 ** -24;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

function testDigits(dir, limit) {
  for (const name of ["t10k-images-idx3-ubyte", "t10k-images-idx3-ubyte.gz"]) {
    const file = path.join(dir, name);
    if (!fs.existsSync(file)) continue;
    let b = fs.readFileSync(file);
    if (name.endsWith(".gz")) b = zlib.gunzipSync(b);
    const nd = b[3], count = b.readUInt32BE(4), size = 784;
    const n = limit > 0 ? Math.min(limit, count) : count;
    const x = new Float32Array(n * size);
    for (let i = 0; i < x.length; i++) x[i] = b[4 + 4 * nd + i] / 255;
    return { n, x };
  }
  throw new Error("no t10k-images-idx3-ubyte(.gz) in " + dir);
}

async function main() {
  const args = process.argv.slice(2);
  const opt = (k) => { const i = args.indexOf(k); return i >= 0 ? args[i + 1] : undefined; };
  if (!args[0] || !opt("--data")) throw new Error("usage: node model.js WEIGHTS.safetensors --data DIR [--val N]");
  try { require("@tensorflow/tfjs-backend-wasm"); await tf.setBackend("wasm"); } catch (e) { /* the cpu backend */ }
  const w = readSafetensors(args[0]);
  for (const layer of model.layers) {
    if (layer.getWeights().length === 0) continue;
    const values = [];
    for (const name of layer.heads || [layer.name]) {
      const k = w[name + "/kernel"], b = w[name + "/bias"];
      if (!k || !b) throw new Error(args[0] + " has no weights for " + name);
      values.push(tf.tensor(k.data, k.shape), tf.tensor(b.data, b.shape));
    }
    layer.setWeights(values);
  }
  const samplers = model.layers.filter((l) => l instanceof Sampling);
  const { n, x } = testDigits(opt("--data"), Number(opt("--val") || 0));
  let total = 0;
  for (let lo = 0; lo < n; lo += 256) {
    const m = Math.min(256, n - lo);
    const y = x.subarray(lo * 784, (lo + m) * 784);
    const outs = [].concat(tf.tidy(() => probe.predict(tf.tensor(y, [m, {{INPUT}}]), { batchSize: m })));
    const p = outs[0].dataSync();
    taps.forEach((l, j) => {
      const [l1, l2] = PENALTIES[l.name];
      for (const a of outs[j + 1].dataSync()) total += UNIT * (l1 * Math.abs(a) + l2 * a * a);
    });
    for (const l of samplers) total += UNIT * l.kl.dataSync()[0];
    outs.forEach((t) => t.dispose());
    for (let i = 0; i < p.length; i++) {
      if ("{{LOSS}}" === "mse") { total += (p[i] - y[i]) ** 2; continue; }
      const q = Math.min(Math.max(p[i], 1e-7), 1 - 1e-7);
      total -= y[i] * Math.log(q) + (1 - y[i]) * Math.log(1 - q);
    }
  }
  console.log("TensorFlow.js " + tf.version.tfjs + " (" + tf.getBackend() + ")");
  console.log("val_loss: " + (total / (n * UNIT)).toFixed(6));
}
main().catch((e) => { console.error(e.message || e); process.exit(1); });
`
