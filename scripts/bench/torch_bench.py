"""Training speed of native PyTorch on the playground's models: the peer
`make bench` prints beside the page and the native Go trainer.

Each model is built by the PyTorch script the playground exports for it
(nn/export: the same layers, sizes and Keras padding), so the peer trains
exactly our model; it is then given PyTorch's fastest form of it: the
symmetric "same" pads folded into the convolutions, ReLU in place, the
faster of channels-last and contiguous memory for the convolutional models
(each is measured), torch's fused binary cross-entropy.

    OMP_NUM_THREADS=2 python3 torch_bench.py --threads 2 --seconds 3 --data DIR simple.py

prints one JSON object a line: model, threads, params, samples_per_sec,
format (Adam, batch 256, on the first MNIST training digits, after
warm-up).
"""
import argparse
import importlib.util
import json
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def load(path):
    spec = importlib.util.spec_from_file_location(os.path.basename(path)[:-3], path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)  # the script's main() runs only as __main__
    return mod


def fold_pads(model, mod):
    """Replaces SamePad + Conv2d by Conv2d(padding=…) where the pad is
    symmetric and zero (TensorFlow's "same" for odd kernels, stride 1): the
    same arithmetic without a padded copy of each activation."""
    names = list(model._modules)
    for a, b in zip(names, names[1:]):
        pad, conv = model._modules[a], model._modules[b]
        if isinstance(pad, mod.SamePad) and isinstance(conv, nn.Conv2d) and pad.value == 0:
            left, right, top, bottom = pad.pad
            if left == right and top == bottom and conv.stride == (1, 1):
                conv.padding = (top, left)
                model._modules[a] = nn.Identity()
    for name, m in model._modules.items():
        if isinstance(m, nn.ReLU):
            model._modules[name] = nn.ReLU(inplace=True)
    return model


def measure(mod, x, threads, seconds, batch, fmt):
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    model = fold_pads(mod.build(), mod)
    xb = mod.to_torch(x[:batch])
    model = model.to(memory_format=fmt)
    xb = xb.contiguous(memory_format=fmt)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)

    def step():
        p = model(xb)
        loss = F.binary_cross_entropy(p, xb) if mod.LOSS == "bce" else F.mse_loss(p, xb)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()

    # Warm-up, by time: a process's first steps pay for the thread pool,
    # oneDNN's primitive caches and the allocator (the first model measured
    # ran 2-3x slower with a warm-up of 3 steps).
    n, t0 = 0, time.perf_counter()
    while n < 10 or time.perf_counter() - t0 < seconds / 2:
        step()
        n += 1
    n, t0 = 0, time.perf_counter()
    while True:
        step()
        n += 1
        dt = time.perf_counter() - t0
        if dt >= seconds and n >= 5:
            break
    return sum(p.numel() for p in model.parameters()), n * batch / dt


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("scripts", nargs="+", help="the exported PyTorch scripts, one a model")
    ap.add_argument("--data", required=True, help="directory with MNIST's IDX files")
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--seconds", type=float, default=3)
    ap.add_argument("--batch", type=int, default=256)
    args = ap.parse_args()
    for path in args.scripts:
        mod = load(path)
        x = mod.read_idx(args.data, "train-images-idx3-ubyte")[:4096]
        formats = {"contiguous": torch.contiguous_format}
        if len(mod.INPUT) == 3:
            formats["channels_last"] = torch.channels_last
        for t in map(int, args.threads.split(",")):
            best = max((measure(mod, x, t, args.seconds, args.batch, f) + (name,) for name, f in formats.items()), key=lambda r: r[1])
            print(json.dumps({"model": mod.NAME, "threads": t, "params": best[0], "samples_per_sec": best[1],
                              "format": best[2], "torch": torch.__version__}), flush=True)


if __name__ == "__main__":
    sys.exit(main())
