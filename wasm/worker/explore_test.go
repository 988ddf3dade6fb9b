package worker

import (
	"math"
	"strings"
	"testing"
	"time"

	"aeplay/nn/catalog"
	"aeplay/wasm/protocol"
)

func TestLatentMapAndDecodingItsPoints(t *testing.T) {
	e := NewEngine(site(t))
	if _, err := e.Init("conv"); err != nil {
		t.Fatal(err)
	}
	var dl []protocol.Download
	l, err := e.Latent(func(d protocol.Download) { dl = append(dl, d) })
	if err != nil {
		t.Fatal(err)
	}
	if l.N != 300 || len(l.Points) != 600 || l.Projection != "pca" || l.CodeSize != 128 || len(dl) == 0 {
		t.Fatalf("latent: n %d, %d coordinates, %s, code %d, %d downloads", l.N, len(l.Points), l.Projection, l.CodeSize, len(dl))
	}
	if !(l.Explained > 0 && l.Explained <= 1) {
		t.Errorf("explained variance %v", l.Explained)
	}
	// Decoding the point of a digit gives an image; a far point another one.
	a, err := e.DecodePoint(float64(l.Points[0]), float64(l.Points[1]))
	if err != nil || a.N != 1 || len(a.Images) != 784 {
		t.Fatalf("decode point: %+v, %v", a.N, err)
	}
	b, _ := e.DecodePoint(float64(l.Points[0])+50, float64(l.Points[1])-50)
	if diffImages(a.Images, b.Images) == 0 {
		t.Error("two points far apart decode to the same image")
	}
	if _, err := e.DecodePoint(math.NaN(), 0); err == nil {
		t.Error("NaN point decoded")
	}
	// The denoiser has no small code to map.
	e.SetModel("denoise")
	if _, err := e.Latent(nil); err == nil || !strings.Contains(err.Error(), "no small code") {
		t.Errorf("denoise map: %v", err)
	}
}

func diffImages(a, b []float32) float64 {
	var s float64
	for i := range a {
		s += math.Abs(float64(a[i] - b[i]))
	}
	return s
}

func TestInterpolateAndEncode(t *testing.T) {
	e := NewEngine(site(t))
	e.Init("simple")
	d, err := e.Interpolate(3, 7, 8)
	if err != nil || d.N != 8 || len(d.Images) != 8*784 {
		t.Fatalf("interpolate: %+v, %v", d.N, err)
	}
	// The ends are the two digits' reconstructions.
	g, _ := e.Grid(protocol.GridRequest{Indices: []int{3, 7}})
	if diffImages(d.Images[:784], g.Recon[:784]) > 1e-3 || diffImages(d.Images[7*784:], g.Recon[784:]) > 1e-3 {
		t.Error("the interpolation's ends are not the digits' reconstructions")
	}
	if _, err := e.Interpolate(3, 7, 1); err == nil {
		t.Error("one step accepted")
	}
	// Past the sample loaded first (50 digits here), the engine fetches the
	// whole test set rather than saying there are 50; past the whole set,
	// the error names its range.
	if d, err := e.Interpolate(3, 200, 8); err != nil || d.N != 8 || e.TestDigits() != 300 {
		t.Errorf("interpolating to test digit #200 beyond the sample: %v, %d test digits loaded", err, e.TestDigits())
	}
	if _, err := e.Interpolate(3, 300, 8); err == nil || !strings.Contains(err.Error(), "#0 to #299") {
		t.Errorf("interpolating to test digit #300 of 300: %v", err)
	}
	px := make([]float32, 784)
	for i := 300; i < 320; i++ {
		px[i] = 1
	}
	enc, err := e.Encode(px)
	if err != nil || len(enc.Code) != 32 || len(enc.Recon) != 784 || len(enc.Denoised) != 784 {
		t.Fatalf("encode: code %d, %v", len(enc.Code), err)
	}
	px[0] = 2
	if _, err := e.Encode(px); err == nil {
		t.Error("a pixel above 1 accepted")
	}
}

func TestCompareEveryModelAndPCA(t *testing.T) {
	e := NewEngine(site(t))
	e.Init("deep")
	c, err := e.Compare([]int{0, 1, 2})
	if err != nil {
		t.Fatal(err)
	}
	names := []string{}
	for _, r := range c.Rows {
		names = append(names, r.Name)
	}
	// Every catalogue model, then the three PCA baselines.
	want := append(catalog.Names(), "PCA 2", "PCA 32", "PCA 128")
	rows := len(want)
	if strings.Join(names, ",") != strings.Join(want, ",") || len(c.Recons) != rows*3*784 {
		t.Fatalf("rows %v, %d values", names, len(c.Recons))
	}
	if p32 := c.Rows[rows-2]; p32.ValMSE != 0.02 || p32.Params != 33*784 || p32.Code != 32 {
		t.Errorf("PCA row %+v", p32)
	}
	// The round trip through protocol keeps the table.
	back, err := protocol.DecodeCompare(c.Fields())
	if err != nil || len(back.Rows) != rows || back.Rows[rows-1].Name != "PCA 128" {
		t.Errorf("decode: %v", err)
	}
}

func TestOwnDataReplacesMNIST(t *testing.T) {
	f := site(t)
	e := NewEngine(f)
	e.Init("conv")
	images := gzIDX([]int{70, 28, 28}, strokes(70, 5))
	labels := gzIDX([]int{70}, make([]byte, 70))
	r, err := e.SetData("fashion-images-idx3-ubyte.gz", images, labels)
	if err != nil || r.Data != "fashion-images-idx3-ubyte.gz" || r.TestDigits != 10 {
		t.Fatalf("set data: %+v, %v", r.TestDigits, err)
	}
	if _, err := e.StartTraining(protocol.TrainConfig{Model: "conv", Epochs: 1, Batch: 20, LR: 0.003, Samples: 60, ValSamples: 10, Seed: 1}, nil); err != nil {
		t.Fatal(err)
	}
	if e.train.N != 60 || e.test.N != 10 {
		t.Errorf("split %d/%d, want 60/10", e.train.N, e.test.N)
	}
	for _, bad := range []struct {
		name   string
		images []byte
		labels []byte
		want   string
	}{
		{"small.idx", gzIDX([]int{5, 14, 14}, make([]byte, 5*196)), nil, "14x14"},
		{"notes.txt", []byte("hello"), nil, "not an IDX image file"},
		{"ok.idx", images, gzIDX([]int{3}, []byte{1, 2, 3}), "70 images but the labels file has 3"},
	} {
		if _, err := e.SetData(bad.name, bad.images, bad.labels); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("%s: %v", bad.name, err)
		}
	}
}

// TestLayersOfOneDigit: every layer's output for a test digit, in order,
// with the shapes the message carries; the last is the digit's
// reconstruction as the grid draws it.
func TestLayersOfOneDigit(t *testing.T) {
	e := NewEngine(site(t))
	if _, err := e.Init("conv"); err != nil {
		t.Fatal(err)
	}
	l, err := e.Layers(3, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Names) != 14 || l.Names[0] != "conv2d_1" || l.Specs[5] != "flatten" || l.Code != 5 {
		t.Fatalf("layers %v, specs %v, code %d", l.Names, l.Specs, l.Code)
	}
	g, err := e.Grid(protocol.GridRequest{Indices: []int{3}})
	if err != nil {
		t.Fatal(err)
	}
	last := l.Values[len(l.Values)-784:]
	if diffImages(last, g.Recon) != 0 {
		t.Error("the last layer's output is not the grid's reconstruction")
	}
	total := 0
	for _, s := range l.Shapes {
		n := 1
		for _, d := range s {
			n *= d
		}
		total += n
	}
	if total != len(l.Values) || l.Shapes[0][2] != 16 {
		t.Errorf("shapes %v for %d values", l.Shapes, len(l.Values))
	}
	if _, err := e.Layers(99999, nil); err == nil {
		t.Error("a digit that does not exist")
	}
	// A drawn digit: the same digit's pixels give the same layers.
	drawn, err := e.Layers(0, l.Input)
	if err != nil || drawn.Index != -1 || diffImages(drawn.Values, l.Values) != 0 {
		t.Errorf("the drawn copy of digit #3: index %d, %v", drawn.Index, err)
	}
}

// TestTSNEOfTheMapsCodes: t-SNE of the conv model's codes runs in slices
// to its end, whose frame measures it, the labels' agreement in the plane
// beside the PCA map's; a run can be stopped midway.
func TestTSNEOfTheMapsCodes(t *testing.T) {
	e := NewEngine(site(t))
	if _, err := e.Init("conv"); err != nil {
		t.Fatal(err)
	}
	f, err := e.StartTSNE(nil)
	if err != nil {
		t.Fatal(err)
	}
	if f.N != 300 || f.Iter != 0 || f.Iterations != 500 || !e.Embedding() {
		t.Fatalf("first frame: %d points, iteration %d of %d", f.N, f.Iter, f.Iterations)
	}
	frames := 0
	for !f.Done {
		last := f.Iter
		if f, err = e.StepTSNE(5 * time.Millisecond); err != nil {
			t.Fatal(err)
		}
		if f.Iter <= last {
			t.Fatalf("iteration %d after %d", f.Iter, last)
		}
		frames++
	}
	if e.Embedding() || f.Stopped || f.Iter != 500 || frames < 2 {
		t.Errorf("the end: embedding %v, stopped %v, iteration %d, %d frames", e.Embedding(), f.Stopped, f.Iter, frames)
	}
	// The test site's digits all have the label 0 (the browser test
	// compares the agreements on MNIST's own).
	if f.Agreement != 1 || f.MapAgreement != 1 {
		t.Errorf("10-NN label agreement of one label: t-SNE %.3f, PCA %.3f", f.Agreement, f.MapAgreement)
	}
	if _, err := e.StartTSNE(nil); err != nil {
		t.Fatal(err)
	}
	e.StepTSNE(time.Millisecond)
	if s, err := e.StopTSNE(); err != nil || !s.Stopped || !s.Done || s.Iter >= 500 || e.Embedding() {
		t.Errorf("stopped: %+v, %v", s.Iter, err)
	}
	if _, err := e.StepTSNE(time.Millisecond); err == nil {
		t.Error("a stopped run stepped")
	}
}

func TestHistogram(t *testing.T) {
	h := histogram([][]float32{{0, 0, 0, 1, 2}, {0.5, 1.5}}, 4)
	if len(h.Edges) != 5 || h.Edges[0] != 0 || h.Edges[4] != 2 {
		t.Fatalf("edges %v", h.Edges)
	}
	if h.Shares[0][0] != 0.6 || h.Shares[0][3] != 0.2 || h.Zeros[0] != 0.6 || h.Means[0] != 0.6 {
		t.Errorf("first: shares %v, zeros %v, mean %v", h.Shares[0], h.Zeros[0], h.Means[0])
	}
	if h.Shares[1][1] != 0.5 || h.Shares[1][3] != 0.5 || h.Zeros[1] != 0 {
		t.Errorf("second: shares %v", h.Shares[1])
	}
	if one := histogram([][]float32{{3, 3}}, 2); one.Edges[0] != 2.5 || one.Shares[0][1] != 1 {
		t.Errorf("one value: %v %v", one.Edges, one.Shares)
	}
}

// TestCodeHistogramOfSparse: the sparse model's code values beside the
// simple model's, both round-tripping the protocol.
func TestCodeHistogramOfSparse(t *testing.T) {
	e := NewEngine(site(t))
	if _, err := e.Init("sparse"); err != nil {
		t.Fatal(err)
	}
	h, err := e.CodeHistogram(nil)
	if err != nil {
		t.Fatal(err)
	}
	back, err := protocol.DecodeHistogram(h.Fields())
	if err != nil {
		t.Fatal(err)
	}
	if len(back.Names) != 2 || back.Names[0] != "the sparse model" || back.Names[1] != "the simple model" || back.Digits != e.test.N || len(back.Shares[1]) != histogramBins {
		t.Errorf("histogram: %v, %d digits, %d bins", back.Names, back.Digits, len(back.Shares[1]))
	}
	if _, err := e.SetModel("simple"); err != nil {
		t.Fatal(err)
	}
	if h, _ := e.CodeHistogram(nil); len(h.Names) != 1 {
		t.Errorf("the simple model against itself: %v", h.Names)
	}
}
