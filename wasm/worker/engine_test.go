package worker

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"aeplay/nn"
	"aeplay/nn/catalog"
	"aeplay/nn/encoding/idx"
	"aeplay/nn/encoding/safetensors"
	"aeplay/nn/spec"
	"aeplay/nn/weights"
	"aeplay/wasm/protocol"
)

// memFetcher serves a site from memory.
type memFetcher map[string][]byte

func (m memFetcher) Fetch(path string, progress func(loaded, total int)) ([]byte, error) {
	b, ok := m[path]
	if !ok {
		return nil, errors.New("404 Not Found")
	}
	if progress != nil {
		progress(len(b)/2, len(b))
		progress(len(b), len(b))
	}
	return b, nil
}

// gzIDX is an IDX file, gzipped as the site serves them.
func gzIDX(dims []int, data []byte) []byte {
	var b bytes.Buffer
	z := gzip.NewWriter(&b)
	idx.Write(z, dims, data)
	z.Close()
	return b.Bytes()
}

// strokes makes n 28x28 images with a bright bar each: learnable, and not
// MNIST (which the wasm tests cannot reach).
func strokes(n int, seed uint64) []byte {
	rng := rand.New(rand.NewPCG(seed, 0))
	px := make([]byte, n*784)
	for i := 0; i < n; i++ {
		r, c := 4+rng.IntN(20), 4+rng.IntN(20)
		for k := -3; k <= 3; k++ {
			px[i*784+r*28+c+k] = 255
			px[i*784+(r+k)*28+c] = 200
		}
	}
	return px
}

// site builds the files the engine reads, with freshly initialised weights.
func site(t testing.TB) memFetcher {
	f := memFetcher{
		SampleImages: gzIDX([]int{50, 28, 28}, strokes(50, 1)),
		SampleLabels: gzIDX([]int{50}, make([]byte, 50)),
		TestImages:   gzIDX([]int{300, 28, 28}, strokes(300, 1)),
		TestLabels:   gzIDX([]int{300}, make([]byte, 300)),
		TrainImages:  gzIDX([]int{600, 28, 28}, strokes(600, 2)),
	}
	for _, name := range catalog.Names() {
		m, _ := catalog.New(name)
		m.Init(9)
		var b bytes.Buffer
		if err := weights.Write(&b, m, map[string]string{"epochs": "50", "train_size": "60000"}); err != nil {
			t.Fatal(err)
		}
		f[WeightsPath(name)] = b.Bytes()
	}
	for _, k := range []int{2, 32, 128} { // PCA baselines: unit vectors will do
		mean := make([]float32, 784)
		comps := make([]float32, k*784)
		for c := 0; c < k; c++ {
			comps[c*784+c*6] = 1
		}
		var b bytes.Buffer
		safetensors.Write(&b, []safetensors.Tensor{{Name: "pca/mean", Shape: []int{784}, Data: mean}, {Name: "pca/components", Shape: []int{k, 784}, Data: comps}},
			map[string]string{"val_bce": "0.1", "val_mse": "0.02"})
		f[PCAPath(k)] = b.Bytes()
	}
	return f
}

func TestInitShowsPretrainedModelAndGrid(t *testing.T) {
	e := NewEngine(site(t))
	r, err := e.Init("conv")
	if err != nil {
		t.Fatal(err)
	}
	if r.Params != 4385 || r.Code != 128 || len(r.Layers) != 14 || r.Weights["epochs"] != "50" || r.Weights["source"] != "pretrained" {
		t.Errorf("ready: %+v", r)
	}
	g, err := e.Grid(protocol.GridRequest{Indices: []int{0, 5, 49}})
	if err != nil {
		t.Fatal(err)
	}
	if g.N != 3 || len(g.Codes) != 3*128 || len(g.Recon) != 3*784 || g.Noisy != nil {
		t.Errorf("grid: n %d, codes %d, recon %d", g.N, len(g.Codes), len(g.Recon))
	}
	// An index past the sample fetches the whole test set (300 digits here).
	if _, err := e.Grid(protocol.GridRequest{Indices: []int{50}}); err != nil || e.TestDigits() != 300 {
		t.Errorf("an index past the sample: %v, %d test digits", err, e.TestDigits())
	}
	if _, err := e.Grid(protocol.GridRequest{Indices: []int{300}}); err == nil {
		t.Error("an index past the test set was accepted")
	}
}

func TestDenoiseGridHasThreeRows(t *testing.T) {
	e := NewEngine(site(t))
	if _, err := e.Init("denoise"); err != nil {
		t.Fatal(err)
	}
	a, err := e.Grid(protocol.GridRequest{Indices: []int{1, 2}, Noise: 0.5, NoiseSeed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Noisy) != 2*784 || len(a.Baseline) != 2*784 || len(a.Recon) != 2*784 || a.Codes != nil {
		t.Fatalf("denoise grid rows: noisy %d conv %d recon %d", len(a.Noisy), len(a.Baseline), len(a.Recon))
	}
	b, _ := e.Grid(protocol.GridRequest{Indices: []int{1, 2}, Noise: 0.1, NoiseSeed: 1})
	if diff(a.Noisy, a.Originals) <= diff(b.Noisy, b.Originals) {
		t.Error("more noise σ did not make the noisy row noisier")
	}
	// Masking: the noisy row is the original with pixels dropped to 0,
	// about p of them.
	m, err := e.Grid(protocol.GridRequest{Indices: []int{1, 2}, Noise: 0.5, NoiseKind: spec.MaskNoise, NoiseSeed: 1})
	if err != nil {
		t.Fatal(err)
	}
	dropped, ink := 0, 0
	for i, v := range m.Noisy {
		o := m.Originals[i]
		if o != 0 {
			ink++
		}
		switch {
		case v == o:
		case v == 0:
			dropped++
		default:
			t.Fatalf("masked pixel %d is %v, the original %v", i, v, o)
		}
	}
	if m.NoiseKind != spec.MaskNoise || dropped < ink/4 || dropped > 3*ink/4 {
		t.Errorf("masking p 0.5: kind %q, %d of %d inked pixels dropped", m.NoiseKind, dropped, ink)
	}
	if _, err := e.Grid(protocol.GridRequest{Indices: []int{1}, Noise: 1.5, NoiseKind: spec.MaskNoise}); err == nil {
		t.Error("a masking probability of 1.5 was accepted")
	}
	if _, err := e.Grid(protocol.GridRequest{Indices: []int{1}, Noise: 0.5, NoiseKind: "salt"}); err == nil {
		t.Error(`noise kind "salt" was accepted`)
	}
}

func diff(a, b []float32) float64 {
	var s float64
	for i := range a {
		s += math.Abs(float64(a[i] - b[i]))
	}
	return s
}

func TestTrainingRunLearnsAndReports(t *testing.T) {
	f := site(t)
	e := NewEngine(f)
	if _, err := e.Init("simple"); err != nil {
		t.Fatal(err)
	}
	var downloads []protocol.Download
	cfg := protocol.TrainConfig{Model: "simple", Epochs: 3, Batch: 64, LR: 0.01, Samples: 600, ValSamples: 300, Seed: 1}
	base, err := e.StartTraining(cfg, func(d protocol.Download) { downloads = append(downloads, d) })
	if err != nil {
		t.Fatal(err)
	}
	if !(base.Epoch == 0 && base.ValLoss > 0.3) {
		t.Errorf("baseline before training: %+v", base)
	}
	if len(downloads) == 0 || downloads[len(downloads)-1].Loaded != downloads[len(downloads)-1].Total {
		t.Errorf("download progress: %+v", downloads)
	}
	if e.TestDigits() != 300 {
		t.Errorf("the full test set was not loaded: %d digits", e.TestDigits())
	}
	var epochs []protocol.Epoch
	var done *protocol.Done
	for i := 0; done == nil && i < 1000; i++ {
		_, ep, d, err := e.Train(5 * time.Millisecond)
		if err != nil {
			t.Fatal(err)
		}
		epochs, done = append(epochs, ep...), d
	}
	if done == nil || done.Stopped || len(epochs) != 3 {
		t.Fatalf("done %+v after %d epochs", done, len(epochs))
	}
	if !(epochs[2].ValLoss < epochs[0].ValLoss && epochs[0].ValLoss < base.ValLoss) {
		t.Errorf("val loss did not fall: %+v", epochs)
	}
	if e.Training() {
		t.Error("still training after the last epoch")
	}
	// The trained model is what the grid shows; Reset brings back the
	// pretrained weights.
	r, _ := e.Reset()
	if r.Weights["source"] != "pretrained" {
		t.Errorf("after reset: %v", r.Weights)
	}
}

func TestBadFilesAreClearErrors(t *testing.T) {
	f := site(t)
	f[SampleImages] = []byte("<html>404</html>")
	_, err := NewEngine(f).Init("simple")
	if err == nil || !strings.Contains(err.Error(), "sample digits file web/data/sample-images-idx3-ubyte.gz is damaged") {
		t.Errorf("corrupt sample: %v", err)
	}
	f = site(t)
	delete(f, WeightsPath("deep"))
	e := NewEngine(f)
	e.Init("simple")
	if _, err := e.SetModel("deep"); err == nil || !strings.Contains(err.Error(), "could not load the pretrained weights of the deep model") {
		t.Errorf("missing weights: %v", err)
	}
	f = site(t)
	f[WeightsPath("conv")] = f[WeightsPath("simple")]
	if _, err := NewEngine(f).Init("conv"); err == nil || !strings.Contains(err.Error(), "damaged") {
		t.Errorf("wrong weights: %v", err)
	}
	f = site(t)
	f[TrainImages] = f[TrainImages][:100]
	e = NewEngine(f)
	e.Init("simple")
	_, err = e.StartTraining(protocol.TrainConfig{Epochs: 1, Batch: 8, LR: 0.001, Samples: 10}, nil)
	if err == nil || !strings.Contains(err.Error(), "training digits file") {
		t.Errorf("truncated training data: %v", err)
	}
}

func TestDivergenceIsReportedInWords(t *testing.T) {
	e := NewEngine(site(t))
	e.Init("simple")
	if _, err := e.StartTraining(protocol.TrainConfig{Epochs: 1, Batch: 8, LR: 0.001, Samples: 64, Seed: 1}, nil); err != nil {
		t.Fatal(err)
	}
	// Two good batches (a zero budget runs one), then a poisoned one.
	for i := 0; i < 2; i++ {
		if _, _, _, err := e.Train(0); err != nil {
			t.Fatal(err)
		}
	}
	e.model.Params()[0].Value[0] = float32(math.NaN())
	_, _, _, err := e.Train(0)
	var div *DivergedError
	if !errors.As(err, &div) || !strings.Contains(err.Error(), "epoch 1, batch 3") || !strings.Contains(err.Error(), "lower learning rate") || strings.Contains(err.Error(), "Reset") {
		t.Errorf("divergence at batch 3: %v", err)
	}
	if e.Training() {
		t.Error("a diverged run is still running")
	}
	// What was on show before the run is back: the pretrained weights.
	if e.meta["source"] != "pretrained" || math.IsNaN(float64(e.model.Params()[0].Value[0])) {
		t.Errorf("after divergence the engine shows %q weights", e.meta["source"])
	}
}

func TestExportImportGivesIdenticalPredictions(t *testing.T) {
	e := NewEngine(site(t))
	if _, err := e.Init("conv"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.StartTraining(protocol.TrainConfig{Model: "conv", Epochs: 1, Batch: 32, LR: 0.01, Samples: 64, Seed: 4}, nil); err != nil {
		t.Fatal(err)
	}
	for e.Training() {
		if _, _, _, err := e.Train(time.Second); err != nil {
			t.Fatal(err)
		}
	}
	req := protocol.GridRequest{Indices: []int{0, 1, 2}}
	before, _ := e.Grid(req)
	f, err := e.Export()
	if err != nil || f.Name != "conv-trained-here.safetensors" {
		t.Fatalf("export %q, %v", f.Name, err)
	}
	// A fresh engine showing another model takes the file and switches to conv.
	e2 := NewEngine(site(t))
	e2.Init("simple")
	r, err := e2.Import(protocol.WeightsFile{Type: protocol.TImport, Name: "mine.safetensors", Bytes: f.Bytes})
	if err != nil || r.Model != "conv" || r.Weights["file"] != "mine.safetensors" || r.Weights["source"] != "trained here" {
		t.Fatalf("import: %+v, %v", r, err)
	}
	after, _ := e2.Grid(req)
	for i := range before.Recon {
		if before.Recon[i] != after.Recon[i] {
			t.Fatalf("prediction %d differs after export and import", i)
		}
	}
	// Bad files are refused in words; the weights on show stay.
	for name, b := range map[string][]byte{
		"notes.txt":    []byte("hello"),
		"truncated.st": f.Bytes[:len(f.Bytes)/2],
		"other.safetensors": func() []byte { // weights of a model the page does not know
			m, _ := nn.NewModel("vae", nn.Shape{4}, -1, nn.Dense(2, nn.ReLU))
			var b bytes.Buffer
			weights.Write(&b, m, nil)
			return b.Bytes()
		}(),
	} {
		if _, err := e2.Import(protocol.WeightsFile{Name: name, Bytes: b}); err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s: %v", name, err)
		}
	}
	still, _ := e2.Grid(req)
	if still.Recon[5] != after.Recon[5] {
		t.Error("a refused file changed the weights")
	}
}

func TestDecode(t *testing.T) {
	e := NewEngine(site(t))
	e.Init("simple")
	d, err := e.Decode(make([]float32, 2*32))
	if err != nil || d.N != 2 || len(d.Images) != 2*784 {
		t.Fatalf("decode: %+v, %v", d.N, err)
	}
	if _, err := e.Decode(make([]float32, 31)); err == nil {
		t.Error("a code of the wrong size was decoded")
	}
	e.SetModel("denoise") // no flat code, but a decoder from its 7x7x32 middle
	if _, err := e.Decode(make([]float32, 1568)); err != nil {
		t.Errorf("denoise decoder: %v", err)
	}
}

// TestImportFilesFromPython: a file as safetensors' save_file writes it from
// Keras 3 — no metadata, default layer names from 0 — loads and says which
// model it fits, even with another model on show; a file fitting none is
// refused in words and the model on show stays.
func TestImportFilesFromPython(t *testing.T) {
	e := NewEngine(site(t))
	if _, err := e.Init("simple"); err != nil {
		t.Fatal(err)
	}
	conv, _ := catalog.New("conv")
	conv.Init(5)
	var ts []safetensors.Tensor
	for _, p := range conv.Params() { // conv2d_1 … conv2d_7 as Keras 3 names them: conv2d, conv2d_1 … conv2d_6
		name := strings.Replace(p.Name, "conv2d_1/", "conv2d/", 1)
		for k := 2; k <= 7; k++ {
			name = strings.Replace(name, fmt.Sprintf("conv2d_%d/", k), fmt.Sprintf("conv2d_%d/", k-1), 1)
		}
		ts = append(ts, safetensors.Tensor{Name: name, Shape: p.Shape, Data: p.Value})
	}
	var b bytes.Buffer
	if err := safetensors.Write(&b, ts, nil); err != nil {
		t.Fatal(err)
	}
	r, err := e.Import(protocol.WeightsFile{Name: "model.safetensors", Bytes: b.Bytes()})
	if err != nil {
		t.Fatalf("a Keras 3 file without metadata: %v", err)
	}
	if r.Model != "conv" || r.Weights["source"] != "loaded" || r.Weights["file"] != "model.safetensors" {
		t.Errorf("ready after the import: model %q, weights %v", r.Model, r.Weights)
	}
	if !slices.Equal(e.model.Param("conv2d_7/kernel").Value, conv.Param("conv2d_7/kernel").Value) {
		t.Error("conv2d_6 (Keras 3) did not land in conv2d_7")
	}
	b.Reset()
	safetensors.Write(&b, []safetensors.Tensor{{Name: "fc/weight", Shape: []int{2, 2}, Data: make([]float32, 4)}}, nil)
	if _, err := e.Import(protocol.WeightsFile{Name: "other.safetensors", Bytes: b.Bytes()}); err == nil || !strings.Contains(err.Error(), "fits none of the models") {
		t.Errorf("a file for no model here: %v", err)
	}
	if e.name != "conv" {
		t.Errorf("a refused file replaced the model on show: %s", e.name)
	}
}

// TestCustomModel: a spec the catalogue lacks is shown untrained, trains
// with its own loss (MSE here: the val loss is an MSE, far below any BCE),
// is kept under its spec, exported under a file name of its own, and a
// page showing another model rebuilds it from the file.
func TestCustomModel(t *testing.T) {
	linear := "input(784);dense(16,linear)*;dense(784,linear);loss(mse)"
	e := NewEngine(site(t))
	e.SetStore(&memStore{files: map[string][]byte{}})
	r, err := e.Init(" input(784); dense(16,linear)*; dense(784,linear); loss(mse)")
	if err != nil {
		t.Fatal(err)
	}
	if r.Model != linear || r.Weights["source"] != "untrained" || r.Code != 16 || len(r.Layers) != 2 {
		t.Fatalf("ready: model %q, weights %v, code %d, %d layers", r.Model, r.Weights, r.Code, len(r.Layers))
	}
	base, err := e.StartTraining(protocol.TrainConfig{Model: linear, Epochs: 2, Batch: 64, LR: 0.003, Samples: 600, ValSamples: 300, Seed: 1}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var last protocol.Epoch
	for e.Training() {
		_, ep, _, err := e.Train(time.Second)
		if err != nil {
			t.Fatal(err)
		}
		if len(ep) > 0 {
			last = ep[len(ep)-1]
		}
	}
	if !(last.ValLoss < base.ValLoss && last.ValLoss < 0.1) {
		t.Errorf("val loss %v before, %v after: not a falling MSE", base.ValLoss, last.ValLoss)
	}
	if err := e.Keep(); err != nil {
		t.Fatal(err)
	}
	f, err := e.Export()
	if err != nil || !strings.HasPrefix(f.Name, "custom-") || strings.ContainsAny(f.Name, "();*") {
		t.Fatalf("export %q, %v", f.Name, err)
	}
	if !e.has(linear) {
		t.Error("the trained model is not kept under its spec")
	}
	e2 := NewEngine(site(t))
	e2.Init("simple")
	r, err = e2.Import(protocol.WeightsFile{Name: f.Name, Bytes: f.Bytes})
	if err != nil || r.Model != linear {
		t.Fatalf("import on a page showing simple: model %q, %v", r.Model, err)
	}
	req := protocol.GridRequest{Indices: []int{0, 1}}
	a, _ := e.Grid(req)
	b, _ := e2.Grid(req)
	if !slices.Equal(a.Recon, b.Recon) {
		t.Error("the rebuilt model predicts differently")
	}
	if _, err := e2.SetModel("input(784);dense(16,relu)*;dense(700,sigmoid)"); err == nil || !strings.Contains(err.Error(), "layer 2 (Dense)") {
		t.Errorf("a bad spec: %v", err)
	}
}

// TestBatchTooBigForTheTab: a batch whose activations would not fit the
// tab's memory is refused in words, with a batch that would.
func TestBatchTooBigForTheTab(t *testing.T) {
	e := NewEngine(site(t))
	if _, err := e.Init("denoise"); err != nil {
		t.Fatal(err)
	}
	_, err := e.StartTraining(protocol.TrainConfig{Model: "denoise", Epochs: 1, Batch: 4096, LR: 0.001, Samples: 8192, ValSamples: 100, Seed: 1}, nil)
	if err == nil || !strings.Contains(err.Error(), "try a batch of") {
		t.Errorf("a batch of 4,096 denoiser digits: %v", err)
	}
	if e.Training() {
		t.Error("the refused run started")
	}
}
