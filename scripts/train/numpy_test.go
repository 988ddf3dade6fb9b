package main

import (
	"math"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"aeplay/nn"
	"aeplay/nn/catalog"
	"aeplay/nn/encoding/idx"
	"aeplay/nn/train"
	"aeplay/nn/weights"
	"aeplay/scripts/internal/mnistdata"
)

// python is Debian's python3, which `make test` gives numpy.
const python = "/usr/bin/python3"

// TestWeightsLoadWithNumpy: scripts/weights_numpy.py reads each pretrained
// file with numpy alone, in Keras' layouts and semantics (TensorFlow's
// padding included), and gets the loss the Go engine gets on the same test
// digits: the files mean what the README says they mean.
func TestWeightsLoadWithNumpy(t *testing.T) {
	if err := exec.Command(python, "-c", "import numpy").Run(); err != nil {
		t.Fatalf("%s with numpy is needed (make test installs Debian's python3-numpy): %v", python, err)
	}
	dir, err := mnistdata.Dir()
	if err != nil {
		t.Fatal(err)
	}
	const n = 100
	images := filepath.Join(dir, mnistdata.TestImages)
	test, err := idx.LoadImages(images)
	if err != nil {
		t.Fatal(err)
	}
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	for _, name := range catalog.SeedNames() {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join("..", "..", "web", "models", name+".safetensors")
			m, _ := catalog.New(name)
			if _, err := weights.ReadFile(path, m); err != nil {
				t.Fatal(err)
			}
			ds := train.Dataset{Images: test}
			x := ds.Inputs(idx)
			y := make([]float32, len(x))
			m.NewRunner(n, nn.NewKernel()).Predict(x, n, y)
			want := nn.BCE{}.Sum(y, x) / float64(len(x))
			out, err := exec.Command(python, filepath.Join("..", "weights_numpy.py"), path, images, strconv.Itoa(n)).CombinedOutput()
			if err != nil {
				t.Fatalf("weights_numpy.py: %v\n%s", err, out)
			}
			got, err := strconv.ParseFloat(strings.TrimSpace(string(out)), 64)
			if err != nil {
				t.Fatalf("weights_numpy.py printed %q", out)
			}
			if math.Abs(got-want) > 1e-4*want {
				t.Errorf("numpy %.6f, Go %.6f", got, want)
			}
		})
	}
}
