package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"aeplay/nn"
	"aeplay/nn/catalog"
	"aeplay/nn/encoding/idx"
	"aeplay/nn/export"
	"aeplay/nn/train"
	"aeplay/scripts/internal/mnistdata"
)

// python is Debian's python3, which `make bench` gives numpy and torch.
const python = "/usr/bin/python3"

// native measures the Go trainer natively, as the page's worker runs it
// but on the machine's own kernel (AVX2 where the CPU has it) and threads:
// samples/s at batch 256 over about seconds of steps after a warm-up.
func native(model string, threads int, im *idx.Images, seconds float64) (float64, error) {
	e, err := catalog.Resolve(model)
	if err != nil {
		return 0, err
	}
	m, _ := e.New()
	m.Init(1)
	tr, err := train.New(m, train.Dataset{Images: im, Noise: e.Noise, NoiseKind: e.NoiseKind}, train.Dataset{},
		train.Config{Epochs: 1 << 30, BatchSize: 256, Workers: threads, NewKernel: nn.NewKernel, Loss: e.Spec.LossFunc()})
	if err != nil {
		return 0, err
	}
	defer tr.Close()
	for range 3 {
		if _, _, err := tr.Step(); err != nil {
			return 0, err
		}
	}
	n, t0 := 0, time.Now()
	for n < 5 || time.Since(t0).Seconds() < seconds {
		if _, _, err := tr.Step(); err != nil {
			return 0, err
		}
		n++
	}
	return float64(n*256) / time.Since(t0).Seconds(), nil
}

// torchResult is a line of torch_bench.py's.
type torchResult struct {
	Model         string  `json:"model"`
	Threads       int     `json:"threads"`
	Params        int     `json:"params"`
	SamplesPerSec float64 `json:"samples_per_sec"`
	Torch         string  `json:"torch"`
}

// pytorch measures native PyTorch training the models' own exported
// scripts (torch_bench.py), a process for each model and thread count
// with OMP_NUM_THREADS set to it (in one process, the count measured
// second, or the first model, ran 2–5× slower on this machine), twice:
// with the machine's OPENBLAS_* settings and without them, keeping the
// faster, so that the peer is shown at its best. It checks that PyTorch's
// model has our parameter count.
func pytorch(root, tmp string, models []string, threads []int, seconds float64) (map[string]map[int]float64, string, error) {
	data, err := mnistdata.Dir()
	if err != nil {
		return nil, "", err
	}
	var without []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "OPENBLAS_") && !strings.HasPrefix(kv, "OMP_NUM_THREADS=") {
			without = append(without, kv)
		}
	}
	with := append(slices.Clone(without), openblasSettings()...)
	best := map[string]map[int]float64{}
	version := ""
	for _, m := range models {
		e, err := catalog.Resolve(m)
		if err != nil {
			return nil, "", err
		}
		text, err := export.PyTorch(e.Spec, export.Recipe{Epochs: 1, Batch: 256, LR: 0.001, Noise: e.Spec.Noise, NoiseKind: e.Spec.NoiseKind}, e.Name)
		if err != nil {
			return nil, "", err
		}
		path := filepath.Join(tmp, e.Name+".py")
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			return nil, "", err
		}
		mm, _ := e.New()
		best[e.Name] = map[int]float64{}
		for _, th := range threads {
			for _, env := range [][]string{with, without} {
				cmd := exec.Command(python, filepath.Join(root, "scripts/bench/torch_bench.py"), "--data", data,
					"--seconds", fmt.Sprint(seconds), "--threads", fmt.Sprint(th), path)
				cmd.Env = append(slices.Clone(env), fmt.Sprintf("OMP_NUM_THREADS=%d", th))
				var stderr bytes.Buffer
				cmd.Stderr = &stderr
				out, err := cmd.Output()
				if err != nil {
					return nil, "", fmt.Errorf("torch_bench.py: %v\n%s", err, stderr.String())
				}
				var r torchResult
				if err := json.Unmarshal(bytes.TrimSpace(out), &r); err != nil {
					return nil, "", fmt.Errorf("torch_bench.py printed %q: %v", out, err)
				}
				if r.Params != mm.NumParams() {
					return nil, "", fmt.Errorf("PyTorch's %s has %d parameters, ours %d", r.Model, r.Params, mm.NumParams())
				}
				best[e.Name][th] = max(best[e.Name][th], r.SamplesPerSec)
				version = r.Torch
			}
		}
	}
	return best, version, nil
}

// openblasSettings are the machine's OPENBLAS_* variables.
func openblasSettings() []string {
	var s []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "OPENBLAS_") {
			s = append(s, kv)
		}
	}
	return s
}
