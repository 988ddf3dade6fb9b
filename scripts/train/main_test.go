package main

import (
	"aeplay/nn/catalog"
	"aeplay/nn/weights"
	"bytes"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func TestTrainWritesLogWeightsAndFigures(t *testing.T) {
	dir := t.TempDir()
	o := options{model: "simple", epochs: 2, batch: 256, lr: 0.001, seed: 1, trainSize: 1024, noise: -1,
		out: filepath.Join(dir, "simple.safetensors"), figures: dir, workers: 2}
	var log bytes.Buffer
	if err := run(o, &log); err != nil {
		t.Fatal(err)
	}
	out := log.String()
	for _, want := range []string{"Total params: 50,992", "Train on 1,024 samples, validate on 10,000 samples"} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
	epochLine := regexp.MustCompile(`(?m)^Epoch 2/2 - [0-9.]+s - [0-9,]+ samples/s - loss: 0\.\d{4} - val_loss: (0\.\d{4})$`)
	mm := epochLine.FindStringSubmatch(out)
	if mm == nil {
		t.Fatalf("no Keras-like line for epoch 2:\n%s", out)
	}
	for _, f := range []string{"simple-digits.png", "simple-loss.png"} {
		if st, err := os.Stat(filepath.Join(dir, f)); err != nil || st.Size() < 1000 {
			t.Errorf("figure %s: %v", f, err)
		}
	}
	m, _ := catalog.New("simple")
	meta, err := weights.ReadFile(o.out, m)
	if err != nil {
		t.Fatal(err)
	}
	logged, _ := strconv.ParseFloat(mm[1], 64)
	saved, err := strconv.ParseFloat(meta["val_loss"], 64)
	if meta["epochs"] != "2" || meta["train_size"] != "1024" || err != nil || math.Abs(saved-logged) > 5e-5 {
		t.Errorf("metadata %v does not match the log (val_loss %s)", meta, mm[1])
	}
	if n := len(strings.Split(meta["val_history"], ",")); n != 2 {
		t.Errorf("val_history has %d entries, want 2", n)
	}

	// -epochs 0 with -init evaluates the saved weights: the same val loss.
	log.Reset()
	o.epochs, o.init, o.out, o.figures = 0, o.out, "", ""
	if err := run(o, &log); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(log.String(), "val_loss: "+mm[1]) {
		t.Errorf("evaluating the saved weights gave\n%s\nwant val_loss %s", log.String(), mm[1])
	}
	mse, err := strconv.ParseFloat(meta["val_mse"], 64)
	if err != nil || !(mse > 0 && mse < 0.25) || !strings.Contains(log.String(), "val_mse: "+strconv.FormatFloat(mse, 'f', 5, 64)) {
		t.Errorf("val_mse %q in the metadata, evaluation says\n%s", meta["val_mse"], log.String())
	}

	// -annotate writes val_mse into a file without it, weights untouched.
	want := meta["val_mse"]
	delete(meta, "val_mse")
	old := filepath.Join(dir, "old.safetensors")
	if err := weights.WriteFile(old, m, meta); err != nil {
		t.Fatal(err)
	}
	o.init, o.annotate = old, true
	if err := run(o, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	m2, _ := catalog.New("simple")
	meta2, err := weights.ReadFile(old, m2)
	if err != nil || meta2["val_mse"] != want || meta2["val_loss"] != meta["val_loss"] {
		t.Errorf("annotated metadata %v (%v)", meta2, err)
	}
	for i, p := range m.Params() {
		if !slices.Equal(p.Value, m2.Params()[i].Value) {
			t.Fatalf("annotating changed the weights of %s", p.Name)
		}
	}

	// -annotate -half stores the weights as F16, half the bytes: each
	// weight the nearest half, the val loss that of the rounded weights
	// (the float32 one kept as val_loss_f32), the history as trained.
	log.Reset()
	o.half = true
	before, _ := os.Stat(old)
	if err := run(o, &log); err != nil {
		t.Fatal(err)
	}
	after, _ := os.Stat(old)
	if got, want := after.Size(), before.Size()-2*int64(m.NumParams()); got > want+64 || got < want-64 {
		t.Errorf("the F16 file is %d bytes, the F32 one %d: want about %d", got, before.Size(), want)
	}
	m3, _ := catalog.New("simple")
	meta3, err := weights.ReadFile(old, m3)
	if err != nil || meta3["dtype"] != "F16" || meta3["val_loss_f32"] != meta["val_loss"] || meta3["val_history"] != meta["val_history"] {
		t.Fatalf("halved metadata %v (%v)", meta3, err)
	}
	halfLoss, _ := strconv.ParseFloat(meta3["val_loss"], 64)
	if math.Abs(halfLoss-saved) > 1e-3*saved || !strings.Contains(log.String(), "val_loss: "+strconv.FormatFloat(halfLoss, 'f', 4, 64)) {
		t.Errorf("val loss %v with F16 weights, %v with F32; the log says\n%s", halfLoss, saved, log.String())
	}
	for i, p := range m.Params() {
		for j, v := range p.Value {
			if h := m3.Params()[i].Value[j]; math.Abs(float64(h-v)) > math.Abs(float64(v))/1024+1e-7 {
				t.Fatalf("%s[%d]: %v as F16, %v as F32", p.Name, j, h, v)
			}
		}
	}
	o.half = false

	o.epochs = 1
	if err := run(o, &bytes.Buffer{}); err == nil || !strings.Contains(err.Error(), "-annotate") {
		t.Errorf("-annotate while training: %v", err)
	}
}

func TestTrainRejectsBadWeights(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.safetensors")
	os.WriteFile(bad, []byte("\x08\x00\x00\x00\x00\x00\x00\x00{}      "), 0o644)
	err := run(options{model: "conv", epochs: 0, batch: 256, lr: 0.001, noise: -1, init: bad, trainSize: 256}, &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), bad) || !strings.Contains(err.Error(), "lacks") {
		t.Errorf("error %v should name %s and say what is missing", err, bad)
	}
	if err := run(options{model: "lstm", epochs: 1, batch: 256, lr: 0.001}, &bytes.Buffer{}); err == nil || !strings.Contains(err.Error(), "unknown model") {
		t.Errorf("unknown model: %v", err)
	}
}

// TestTrainHalf: training with -half writes F16 weights whose val loss is
// re-measured, the float32 one kept beside it.
func TestTrainHalf(t *testing.T) {
	o := options{model: "simple", epochs: 1, batch: 256, lr: 0.001, seed: 1, trainSize: 512, noise: -1,
		out: filepath.Join(t.TempDir(), "simple.safetensors"), workers: 2, half: true}
	if err := run(o, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	m, _ := catalog.New("simple")
	meta, err := weights.ReadFile(o.out, m)
	f32, _ := strconv.ParseFloat(meta["val_loss_f32"], 64)
	f16, _ := strconv.ParseFloat(meta["val_loss"], 64)
	if err != nil || meta["dtype"] != "F16" || meta["val_history"] != meta["val_loss_f32"] || !(f32 > 0) || math.Abs(f16-f32) > 1e-3*f32 {
		t.Errorf("metadata %v (%v)", meta, err)
	}
	if err := run(options{model: "simple", epochs: 1, batch: 256, lr: 0.001, half: true}, &bytes.Buffer{}); err == nil || !strings.Contains(err.Error(), "-half") {
		t.Errorf("-half without a file: %v", err)
	}
}
