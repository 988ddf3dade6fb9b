#!/usr/bin/env python3
"""Load an Autoencoder Playground weights file with numpy alone and run the
model on MNIST test digits, with Keras' semantics written out: the file's
tensors are in Keras' layouts (Dense kernel [in, out], Conv2D kernel
[kh, kw, cin, cout]), so they also go straight into a Keras model with
layer.set_weights([kernel, bias]), or into PyTorch as Linear.weight =
kernel.T and Conv2d.weight = kernel.permute(3, 2, 0, 1).

    python3 scripts/weights_numpy.py web/models/conv.safetensors web/data/t10k-images-idx3-ubyte.gz [n]

prints the model's mean binary cross-entropy on the first n test digits
(clean; for denoise, noisy inputs are not reproduced here, so it reports the
clean-input loss). A Go test checks it against the Go engine's.
"""
import gzip
import json
import struct
import sys

import numpy as np


def load_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + n])
    meta = header.pop("__metadata__", {})
    tensors = {}
    for name, e in header.items():
        lo, hi = e["data_offsets"]
        raw = data[8 + n + lo : 8 + n + hi]
        if e["dtype"] == "F32":
            t = np.frombuffer(raw, dtype="<f4")
        elif e["dtype"] == "F16":  # the site's pretrained files
            t = np.frombuffer(raw, dtype="<f2").astype(np.float32)
        elif e["dtype"] == "BF16":  # the top half of a float32
            t = (np.frombuffer(raw, dtype="<u2").astype(np.uint32) << 16).view(np.float32)
        else:
            raise ValueError(f"{name}: dtype {e['dtype']}")
        tensors[name] = t.reshape(e["shape"])
    return tensors, meta


def load_images(path, n):
    with gzip.open(path, "rb") as f:
        data = f.read()
    count, rows, cols = struct.unpack(">III", data[4:16])
    px = np.frombuffer(data[16 : 16 + n * rows * cols], dtype=np.uint8)
    return (px.astype(np.float32) / np.float32(255)).reshape(n, rows, cols, 1)


def conv2d(x, k, b, stride=1, padding="same", act="relu"):
    kh, kw, _, cout = k.shape
    n, h, w, _ = x.shape
    if padding == "same":  # TensorFlow: the extra pixel goes to the bottom/right
        oh, ow = -(-h // stride), -(-w // stride)
        ph, pw = max((oh - 1) * stride + kh - h, 0), max((ow - 1) * stride + kw - w, 0)
        x = np.pad(x, ((0, 0), (ph // 2, ph - ph // 2), (pw // 2, pw - pw // 2), (0, 0)))
    else:
        oh, ow = (h - kh) // stride + 1, (w - kw) // stride + 1
    y = np.zeros((n, oh, ow, cout), np.float32)
    for i in range(kh):
        for j in range(kw):
            y += x[:, i : i + stride * oh : stride, j : j + stride * ow : stride, :] @ k[i, j]
    return activate(y + b, act)


def activate(y, act):
    if act == "relu":
        return np.maximum(y, 0)
    if act == "sigmoid":
        return 1 / (1 + np.exp(-y))
    return y


def maxpool_same(x):
    n, h, w, c = x.shape
    oh, ow = -(-h // 2), -(-w // 2)
    x = np.pad(x, ((0, 0), (0, 2 * oh - h), (0, 2 * ow - w), (0, 0)), constant_values=-np.inf)
    return x.reshape(n, oh, 2, ow, 2, c).max(axis=(2, 4))


def up(x):
    return x.repeat(2, axis=1).repeat(2, axis=2)


def run(name, t, x):
    c = lambda i, x, **kw: conv2d(x, t[f"conv2d_{i}/kernel"], t[f"conv2d_{i}/bias"], **kw)
    d = lambda i, x, act="relu": activate(x @ t[f"dense_{i}/kernel"] + t[f"dense_{i}/bias"], act)
    if name == "simple":
        return d(2, d(1, x.reshape(len(x), 784)), "sigmoid").reshape(x.shape)
    if name == "deep":
        h = x.reshape(len(x), 784)
        for i in range(1, 6):
            h = d(i, h)
        return d(6, h, "sigmoid").reshape(x.shape)
    if name == "conv":
        h = maxpool_same(c(1, x))
        h = maxpool_same(c(2, h))
        h = c(3, h, stride=2).reshape(len(x), 128).reshape(len(x), 4, 4, 8)  # Flatten, Reshape
        h = up(c(4, h))
        h = up(c(5, h))
        h = up(c(6, h, padding="valid"))
        return c(7, h, act="sigmoid")
    if name == "denoise":
        h = maxpool_same(c(1, x))
        h = maxpool_same(c(2, h))
        h = up(c(3, h))
        h = up(c(4, h))
        return c(5, h, act="sigmoid")
    raise ValueError(name)


def bce(p, y):
    p = np.clip(p, 1e-7, 1 - 1e-7)
    return float(np.mean(-(y * np.log(p) + (1 - y) * np.log(1 - p)), dtype=np.float64))


if __name__ == "__main__":
    weights, images = sys.argv[1], sys.argv[2]
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 100
    t, meta = load_safetensors(weights)
    x = load_images(images, n)
    print(f"{bce(run(meta['model'], t, x), x):.6f}")
