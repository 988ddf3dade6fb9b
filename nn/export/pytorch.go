package export

import (
	"fmt"
	"strings"

	"aeplay/nn"
	"aeplay/nn/spec"
)

// PyTorch writes the spec and recipe as one self-contained PyTorch script:
// the same model (TensorFlow's 'same' padding written out as explicit,
// possibly uneven, padding; Keras' channels-last order kept at Flatten and
// Reshape, so dense layers after a convolution see the values in Keras'
// order), the page's safetensors weights read (with numpy alone when the
// safetensors package is absent), MNIST read from IDX files, evaluation and
// further training with the recipe, data-parallel under torchrun. name is
// the model's name in the file's metadata when it saves weights.
func PyTorch(s spec.Spec, r Recipe, name string) (string, error) {
	p, err := s.Plan()
	if err != nil {
		return "", err
	}
	var m strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&m, "        "+format+"\n", args...) }
	in := s.Input
	var penalties []string
	for i, l := range s.Layers {
		lp := p.Layers[i]
		n := lp.Name
		switch l.Kind {
		case spec.Dense:
			w("(%q, nn.Linear(%d, %d)),", n, in[0], l.Units)
		case spec.Conv2D, spec.MaxPooling2D:
			k, stride := l.Kernel, l.Strides
			if l.Kind == spec.MaxPooling2D {
				k, stride = l.Size, l.Size
			}
			if l.Padding == "same" {
				top, bottom := samePad(in[0], k, stride)
				left, right := samePad(in[1], k, stride)
				if top+bottom+left+right > 0 {
					// Padded positions never win a max: pad pools with -inf.
					value := "0.0"
					if l.Kind == spec.MaxPooling2D {
						value = "-math.inf"
					}
					w("(%q, SamePad(%d, %d, %d, %d, %s)),", n+"_pad", top, bottom, left, right, value)
				}
			}
			if l.Kind == spec.Conv2D {
				w("(%q, nn.Conv2d(%d, %d, %d, stride=%d)),", n, in[2], l.Filters, k, stride)
			} else {
				w("(%q, nn.MaxPool2d(%d, stride=%d)),", n, k, stride)
			}
		case spec.UpSampling2D:
			w("(%q, nn.Upsample(scale_factor=%d, mode=\"nearest\")),", n, l.Size)
		case spec.Flatten:
			w("(%q, KerasFlatten()),", n)
		case spec.Reshape:
			w("(%q, KerasReshape(%s)),", n, pyTuple(l.Target))
		case spec.Sampling:
			w("(%q, Sampling(%d, %d, %q, %q)),", n, in[0], l.Units, lp.Heads[0], lp.Heads[1])
		}
		out := n // the module whose output is the Keras layer's
		switch l.Activation {
		case "relu":
			out = n + "_relu"
			w("(%q, nn.ReLU()),", out)
		case "sigmoid":
			out = n + "_sigmoid"
			w("(%q, nn.Sigmoid()),", out)
		}
		if l.L1 != 0 || l.L2 != 0 {
			penalties = append(penalties, fmt.Sprintf("%q: (%s, %s)", out, pyFloat(l.L1), pyFloat(l.L2)))
		}
		in = lp.Out
	}
	rep := strings.NewReplacer(
		"{{SPEC}}", s.String(),
		"{{NAME}}", name,
		"{{INPUT}}", pyTuple(s.Input),
		"{{LOSS}}", s.Loss,
		"{{PER_SAMPLE}}", pyBool(s.Sum),
		"{{EPOCHS}}", fmt.Sprint(r.Epochs),
		"{{BATCH}}", fmt.Sprint(r.Batch),
		"{{LR}}", pyFloat(r.LR),
		"{{NOISE}}", pyFloat(r.Noise),
		"{{MASK}}", pyBool(r.NoiseKind == spec.MaskNoise),
		"{{CODE}}", p.Layers[s.Code].Name,
		"{{CODESIZE}}", fmt.Sprint(p.CodeSize),
		"{{PARAMS}}", fmt.Sprint(p.Params),
		"{{MODULES}}", strings.TrimRight(m.String(), "\n"),
		"{{PENALTIES}}", "{"+strings.Join(penalties, ", ")+"}",
	)
	return rep.Replace(pytorchTemplate), nil
}

func pyBool(b bool) string {
	if b {
		return "True"
	}
	return "False"
}

// samePad is TensorFlow's 'same' padding of one dimension: the total is
// what makes out = ceil(in/stride), the odd pixel after.
func samePad(in, k, stride int) (before, after int) {
	out, _ := nn.OutSize(in, k, stride, nn.Same)
	total := max((out-1)*stride+k-in, 0)
	return total / 2, total - total/2
}

const pytorchTemplate = `#!/usr/bin/env python3
"""An autoencoder from Autoencoder Playground, as a PyTorch script.

    python3 model.py WEIGHTS.safetensors --data DIR [--epochs N] [--out FILE]

Builds the model, loads the playground's weights (safetensors, Keras'
layouts), reads MNIST's IDX files from DIR (train-images-idx3-ubyte and
t10k-images-idx3-ubyte, gzipped or not) and prints the val loss on the test
digits; with --epochs N it first trains N more epochs with the page's recipe
(Adam, Keras' epsilon, shuffled batches). Its last line is "val_loss: X".
Under torchrun --nproc_per_node=K it trains data-parallel (gloo, CPU).

The model's spec: {{SPEC}}
{{PARAMS}} parameters; the code is {{CODE}}'s output, {{CODESIZE}} values.
"""
import argparse
import gzip
import json
import math
import os
import struct
import sys
import time
from collections import OrderedDict

import numpy as np
import torch
import torch.distributed as dist
import torch.nn as nn
import torch.nn.functional as F

SPEC = "{{SPEC}}"
NAME = "{{NAME}}"
INPUT = {{INPUT}}  # one digit, as Keras shapes it (channels last)
LOSS = "{{LOSS}}"
EPOCHS, BATCH, LR, NOISE = {{EPOCHS}}, {{BATCH}}, {{LR}}, {{NOISE}}
MASK = {{MASK}}  # NOISE is the probability of a pixel's masking, not σ
EPS = 1e-7  # Keras' epsilon: Adam's, and the clip of binary cross-entropy
# Keras' activity_regularizer: module name -> (l1, l2) of the penalty on
# its output, part of the loss.
PENALTIES = {{PENALTIES}}
# A loss summed over each digit's values (the variational autoencoder's
# 784·BCE + KL), or averaged over them as Keras' losses are.
PER_SAMPLE = {{PER_SAMPLE}}


class SamePad(nn.Module):
    """TensorFlow's 'same' padding, which puts an odd pixel at the bottom
    and right (PyTorch's padding= is symmetric)."""

    def __init__(self, top, bottom, left, right, value):
        super().__init__()
        self.pad, self.value = (left, right, top, bottom), value

    def forward(self, x):
        return F.pad(x, self.pad, value=self.value)


class KerasFlatten(nn.Module):
    """Flatten in Keras' order (height, width, channels)."""

    def forward(self, x):
        if x.dim() == 4:
            x = x.permute(0, 2, 3, 1)
        return x.reshape(x.shape[0], -1)


class KerasReshape(nn.Module):
    """Reshape to a Keras shape; an image is then put channels first."""

    def __init__(self, target):
        super().__init__()
        self.target = target

    def forward(self, x):
        x = x.reshape(x.shape[0], *self.target)
        return x.permute(0, 3, 1, 2) if len(self.target) == 3 else x


class Sampling(nn.Module):
    """A variational autoencoder's code: two Dense heads, z_mean and
    z_log_var (named as Keras numbers them), and z = z_mean +
    exp(z_log_var / 2)·ε, ε ~ N(0, I), while training; in eval mode z is
    z_mean. It keeps its KL divergence from N(0, I), summed over the batch,
    for the loss."""

    def __init__(self, n_in, latent, mean, log_var):
        super().__init__()
        self.names = (mean, log_var)
        self.heads = nn.ModuleDict({mean: nn.Linear(n_in, latent), log_var: nn.Linear(n_in, latent)})
        self.kl = torch.zeros((), dtype=torch.float64)

    def forward(self, h):
        mu, lv = self.heads[self.names[0]](h), self.heads[self.names[1]](h)
        self.kl = -0.5 * (1 + lv - mu * mu - lv.exp()).sum(dtype=torch.float64)
        return mu + torch.exp(lv / 2) * torch.randn_like(mu) if self.training else mu


def build():
    return nn.Sequential(OrderedDict([
{{MODULES}}
    ]))


def to_torch(x):
    """Digits as Keras holds them (N, *INPUT) to the model's layout."""
    x = torch.from_numpy(x.reshape(len(x), *INPUT))
    return x.permute(0, 3, 1, 2).contiguous() if len(INPUT) == 3 else x


# --- safetensors, with numpy alone when the package is absent -------------

DTYPES = {"F32": "<f4", "F16": "<f2", "BF16": "<u2"}


def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    meta = header.pop("__metadata__", {}) or {}
    tensors = {}
    for name, e in header.items():
        if e["dtype"] not in DTYPES:
            raise SystemExit(f"{path}: tensor {name} is {e['dtype']}; this script reads F32, F16 and BF16")
        lo, hi = e["data_offsets"]
        a = np.frombuffer(data[8 + n + lo:8 + n + hi], dtype=DTYPES[e["dtype"]])
        if e["dtype"] == "BF16":
            a = (a.astype(np.uint32) << 16).view(np.float32)
        tensors[name] = a.astype(np.float32).reshape(e["shape"])
    return tensors, meta


def write_safetensors(path, tensors, meta):
    header, offset, blobs = {"__metadata__": meta}, 0, []
    for name, a in tensors.items():
        b = np.ascontiguousarray(a, dtype="<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(a.shape), "data_offsets": [offset, offset + len(b)]}
        offset += len(b)
        blobs.append(b)
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * (-len(h) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))


def load_tensors(path):
    try:
        from safetensors.numpy import load_file
    except ImportError:
        return read_safetensors(path)[0]
    return {k: v.astype(np.float32) for k, v in load_file(path).items()}


def weighted(model):
    """The modules with weights by their Keras names (a Sampling layer's
    heads are named within it)."""
    return {n.rsplit(".", 1)[-1]: m for n, m in model.named_modules() if isinstance(m, (nn.Linear, nn.Conv2d))}


def load_weights(model, path):
    tensors = load_tensors(path)
    modules = weighted(model)
    want = {f"{n}/{p}" for n in modules for p in ("kernel", "bias")}
    if set(tensors) != want:
        missing, extra = sorted(want - set(tensors)), sorted(set(tensors) - want)
        raise SystemExit(f"{path} does not fit this model: missing {missing}, unexpected {extra}")
    with torch.no_grad():
        for n, m in modules.items():
            k, b = torch.from_numpy(tensors[n + "/kernel"].copy()), torch.from_numpy(tensors[n + "/bias"].copy())
            # Keras: Dense [in, out], Conv2D [kh, kw, cin, cout].
            k = k.t() if isinstance(m, nn.Linear) else k.permute(3, 2, 0, 1)
            if k.shape != m.weight.shape:
                raise SystemExit(f"{path}: {n}/kernel has shape {tuple(tensors[n + '/kernel'].shape)}, not this model's")
            m.weight.copy_(k)
            m.bias.copy_(b)


def save_weights(model, path, meta):
    tensors = {}
    for n, m in weighted(model).items():
        k = m.weight.detach()
        tensors[n + "/kernel"] = (k.t() if isinstance(m, nn.Linear) else k.permute(2, 3, 1, 0)).numpy()
        tensors[n + "/bias"] = m.bias.detach().numpy()
    write_safetensors(path, tensors, meta)


# --- MNIST -----------------------------------------------------------------

def read_idx(directory, stem):
    for name in (stem, stem + ".gz"):
        path = os.path.join(directory, name)
        if os.path.exists(path):
            opener = gzip.open if name.endswith(".gz") else open
            with opener(path, "rb") as f:
                data = f.read()
            dims = struct.unpack(">" + "I" * data[3], data[4:4 + 4 * data[3]])
            a = np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * data[3])
            return (a.reshape(dims[0], -1).astype(np.float32) / 255.0)
    raise SystemExit(f"no {stem} (or {stem}.gz) in {directory}")


# The playground's noise, reproduced exactly: image i of a data set gets
# Gaussian noise (by Box-Muller) or its mask from Go's PCG (math/rand/v2)
# seeded with (seed, i), so the noisy digits here are the page's, whatever
# the order.
U64 = np.uint64
M32 = U64(0xFFFFFFFF)
MUL_HI, MUL_LO = U64(2549297995355413924), U64(4865540595714422341)
INC_HI, INC_LO = U64(6364136223846793005), U64(1442695040888963407)


def _mulhi(a, b):
    a0, a1, b0, b1 = a & M32, a >> U64(32), b & M32, b >> U64(32)
    p01, p10 = a0 * b1, a1 * b0
    mid = ((a0 * b0) >> U64(32)) + (p01 & M32) + (p10 & M32)
    return a1 * b1 + (p01 >> U64(32)) + (p10 >> U64(32)) + (mid >> U64(32))


class PCG:
    def __init__(self, seed, n):
        self.hi, self.lo = np.full(n, seed, dtype=U64), np.arange(n, dtype=U64)

    def uint64(self):
        hi = _mulhi(self.lo, MUL_LO) + self.hi * MUL_LO + self.lo * MUL_HI
        lo = self.lo * MUL_LO
        lo2 = lo + INC_LO
        hi = hi + INC_HI + (lo2 < lo).astype(U64)
        self.hi, self.lo = hi, lo2
        hi = hi ^ (hi >> U64(32))
        hi = hi * U64(0xDA942042E4DD58B5)
        hi = hi ^ (hi >> U64(48))
        return hi * (lo2 | U64(1))


def noisy(x, seed):
    """clip(x + σ·N(0, 1), 0, 1) per pixel, as the page makes it; with MASK,
    each pixel 0 where the PCG's top 24 bits over 2^24 fall below p."""
    if NOISE == 0:
        return x
    with np.errstate(over="ignore"):
        if MASK:
            pcg, out, p = PCG(seed, len(x)), np.empty_like(x), np.float32(NOISE)
            for j in range(x.shape[1]):
                u = (pcg.uint64() >> U64(40)).astype(np.float32) / np.float32(1 << 24)
                out[:, j] = np.where(u < p, np.float32(0), x[:, j])
            return out
        pcg, out, sigma = PCG(seed, len(x)), np.empty_like(x), np.float32(NOISE)
        for j in range(0, x.shape[1], 2):
            u1 = ((pcg.uint64() >> U64(11)).astype(np.float64) + 0.5) / 2.0 ** 53
            u2 = (pcg.uint64() >> U64(11)).astype(np.float64) / 2.0 ** 53
            r, t = np.sqrt(-2 * np.log(u1)), 2 * np.pi * u2
            out[:, j] = np.clip(x[:, j] + sigma * (r * np.cos(t)).astype(np.float32), 0, 1)
            if j + 1 < x.shape[1]:
                out[:, j + 1] = np.clip(x[:, j + 1] + sigma * (r * np.sin(t)).astype(np.float32), 0, 1)
    return out


def penalized(model):
    """Hooks the penalized layers: each forward pass keeps l1·Σ|a| + l2·Σa²
    of their outputs, summed over the batch; the returned function gives
    their total for the last pass, with a Sampling layer's KL term (0
    without either)."""
    kept = {}
    for name, (l1, l2) in PENALTIES.items():
        def hook(module, inputs, out, name=name, l1=l1, l2=l2):
            kept[name] = l1 * out.abs().sum(dtype=torch.float64) + l2 * (out * out).sum(dtype=torch.float64)
        getattr(model, name).register_forward_hook(hook)
    samplers = [m for m in model.modules() if isinstance(m, Sampling)]
    return lambda: sum(kept.values()) + sum(m.kl for m in samplers) if kept or samplers else torch.zeros((), dtype=torch.float64)


def loss_sum(p, y):
    if LOSS == "mse":
        return ((p - y) ** 2).sum(dtype=torch.float64)
    p = p.clamp(EPS, 1 - EPS)
    return -(y * torch.log(p) + (1 - y) * torch.log(1 - p)).sum(dtype=torch.float64)


def unit(y):
    """The values one digit's loss is divided by: all of them for Keras'
    mean, 1 for a loss per digit."""
    return 1 if PER_SAMPLE else y[0].numel()


def evaluate(model, penalty, x, y):
    """The mean loss per output value, as Keras reports it (per digit
    with PER_SAMPLE): the penalty, a mean per image, is added to it whole.
    A variational autoencoder's z is its mean here (eval mode), no draw."""
    model.eval()
    total = 0.0
    with torch.no_grad():
        for lo in range(0, len(x), 256):
            yb = to_torch(y[lo:lo + 256])
            total += loss_sum(model(to_torch(x[lo:lo + 256])), yb).item() + penalty().item() * unit(yb)
    model.train()
    return total / (len(x) * unit(to_torch(y[:1])))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("weights", help="the playground's .safetensors file")
    ap.add_argument("--data", required=True, help="directory with MNIST's IDX files")
    ap.add_argument("--epochs", type=int, default=0, help="epochs to train first (0: only evaluate)")
    ap.add_argument("--samples", type=int, default=0, help="train on the first N training digits (0: all)")
    ap.add_argument("--val", type=int, default=0, help="evaluate on the first N test digits (0: all)")
    ap.add_argument("--seed", type=int, default=1, help="the run's seed (the page's): of the noise and the shuffling")
    ap.add_argument("--out", help="write the weights to this .safetensors file at the end")
    args = ap.parse_args()

    world = int(os.environ.get("WORLD_SIZE", "1"))
    rank = 0
    if world > 1:
        dist.init_process_group("gloo")
        rank = dist.get_rank()
    say = print if rank == 0 else (lambda *a, **k: None)

    model = build()
    penalty = penalized(model)
    load_weights(model, args.weights)
    x_train = read_idx(args.data, "train-images-idx3-ubyte")
    x_test = read_idx(args.data, "t10k-images-idx3-ubyte")
    if args.samples:
        x_train = x_train[:args.samples]
    if args.val:
        x_test = x_test[:args.val]
    # The seeds the page uses: the run's seed + 1 for training, + 2 for the test.
    x_test_in = noisy(x_test, args.seed + 2)
    say(f"{NAME}: {sum(p.numel() for p in model.parameters()):,} parameters, PyTorch {torch.__version__}, {world} process(es)")

    if args.epochs > 0:
        x_train_in = noisy(x_train, args.seed + 1)
        train_model = nn.parallel.DistributedDataParallel(model) if world > 1 else model
        opt = torch.optim.Adam(model.parameters(), lr=LR, betas=(0.9, 0.999), eps=EPS)
        gen = torch.Generator().manual_seed(args.seed)
        say(f"Train on {len(x_train):,} samples, validate on {len(x_test):,} samples")
        for epoch in range(args.epochs):
            t0 = time.time()
            order = torch.randperm(len(x_train), generator=gen).numpy()  # the same on every rank
            seen, total = 0, 0.0
            for lo in range(0, len(order), BATCH):
                idx = order[lo:lo + BATCH][rank::world]  # this rank's share of the batch
                y = to_torch(x_train[idx])
                p = train_model(to_torch(x_train_in[idx]))
                loss = (loss_sum(p, y) + penalty() * unit(y)) / (len(idx) * unit(y))
                opt.zero_grad()
                loss.backward()
                opt.step()
                total += loss.item() * len(idx)
                seen += len(idx)
            val = evaluate(model, penalty, x_test_in, x_test)
            say(f"Epoch {epoch + 1}/{args.epochs} - {time.time() - t0:.0f}s - loss: {total / seen:.4f} - val_loss: {val:.4f}")
    val = evaluate(model, penalty, x_test_in, x_test)
    if args.out and rank == 0:
        save_weights(model, args.out, {"model": NAME, "spec": SPEC, "format": "keras-layout", "source": "trained in PyTorch"})
        say(f"Wrote {args.out}")
    say(f"val_loss: {val:.6f}")
    if world > 1:
        dist.destroy_process_group()


if __name__ == "__main__":
    main()
`
