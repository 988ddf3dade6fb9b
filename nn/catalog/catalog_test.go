package catalog_test

import (
	"bytes"
	"math/rand/v2"
	"strings"
	"testing"

	"aeplay/internal/numfmt"
	"aeplay/nn/catalog"
	"aeplay/nn/spec/spectest"
	"aeplay/nn/weights"
)

// Keras parity: the numbers Keras itself prints for the seed models.

func TestSeedModelsMatchKeras(t *testing.T) {
	tests := []struct {
		name   string
		params int
		shapes []string // each layer's output shape, as Keras prints it
		code   int      // code size
	}{
		{"simple", 50992, []string{"(None, 32)", "(None, 784)"}, 32},
		{"deep", 222384, []string{"(None, 128)", "(None, 64)", "(None, 32)", "(None, 64)", "(None, 128)", "(None, 784)"}, 32},
		{"conv", 4385, []string{"(None, 28, 28, 16)", "(None, 14, 14, 16)", "(None, 14, 14, 8)", "(None, 7, 7, 8)",
			"(None, 4, 4, 8)", "(None, 128)", "(None, 4, 4, 8)", "(None, 4, 4, 8)", "(None, 8, 8, 8)", "(None, 8, 8, 8)",
			"(None, 16, 16, 8)", "(None, 14, 14, 16)", "(None, 28, 28, 16)", "(None, 28, 28, 1)"}, 128},
		{"denoise", 28353, []string{"(None, 28, 28, 32)", "(None, 14, 14, 32)", "(None, 14, 14, 32)", "(None, 7, 7, 32)",
			"(None, 7, 7, 32)", "(None, 14, 14, 32)", "(None, 14, 14, 32)", "(None, 28, 28, 32)", "(None, 28, 28, 1)"}, 1568},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, err := catalog.New(tc.name)
			if err != nil {
				t.Fatal(err)
			}
			if got := m.NumParams(); got != tc.params {
				t.Errorf("params = %d, want %d", got, tc.params)
			}
			if len(m.Layers) != len(tc.shapes) {
				t.Fatalf("%d layers, want %d", len(m.Layers), len(tc.shapes))
			}
			for i, l := range m.Layers {
				if got := l.OutputShape().String(); got != tc.shapes[i] {
					t.Errorf("%s output %s, want %s", l.Name(), got, tc.shapes[i])
				}
			}
			if got := m.CodeShape().Size(); got != tc.code {
				t.Errorf("code size %d, want %d", got, tc.code)
			}
			if !m.Output().Equal(m.Input) {
				t.Errorf("output %v differs from input %v", m.Output(), m.Input)
			}
			if !strings.Contains(m.Summary(), "Total params: "+numfmt.Thousands(tc.params)) {
				t.Errorf("summary lacks the total:\n%s", m.Summary())
			}
		})
	}
}

func TestKerasLayerNames(t *testing.T) {
	m, err := catalog.New("conv")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, l := range m.Layers {
		names = append(names, l.Name())
	}
	want := "conv2d_1 max_pooling2d_1 conv2d_2 max_pooling2d_2 conv2d_3 flatten_1 reshape_1 conv2d_4 up_sampling2d_1 conv2d_5 up_sampling2d_2 conv2d_6 up_sampling2d_3 conv2d_7"
	if got := strings.Join(names, " "); got != want {
		t.Errorf("names\n got %s\nwant %s", got, want)
	}
	if m.Params()[0].Name != "conv2d_1/kernel" || m.Params()[1].Name != "conv2d_1/bias" {
		t.Errorf("param names %s, %s", m.Params()[0].Name, m.Params()[1].Name)
	}
	if got := m.Param("conv2d_2/kernel").Shape; len(got) != 4 || got[0] != 3 || got[1] != 3 || got[2] != 16 || got[3] != 8 {
		t.Errorf("conv2d_2/kernel shape %v, want [3 3 16 8] (kh, kw, cin, cout)", got)
	}
	d, _ := catalog.New("deep")
	if got := d.Param("dense_1/kernel").Shape; got[0] != 784 || got[1] != 128 {
		t.Errorf("dense_1/kernel shape %v, want [784 128] (in, out)", got)
	}
}

// TestEntries: every entry builds, its code size is the built model's, its
// baseline exists, and its quick preset is a real run.
func TestEntries(t *testing.T) {
	for _, e := range catalog.All() {
		m, err := e.New()
		if err != nil {
			t.Fatalf("%s: %v", e.Name, err)
		}
		if got := m.CodeShape().Size(); got != e.CodeSize {
			t.Errorf("%s: CodeSize %d, the model's code has %d", e.Name, e.CodeSize, got)
		}
		if _, ok := catalog.Lookup(e.Baseline); e.Baseline != "" && !ok {
			t.Errorf("%s: baseline %q is not in the catalogue", e.Name, e.Baseline)
		}
		if q := e.Quick; q.Epochs < 1 || q.Batch < 1 || q.Samples < q.Batch || q.Val < 0 {
			t.Errorf("%s: quick preset %+v", e.Name, q)
		}
	}
	if catalog.Denoiser().Noise <= 0 || catalog.Plane().CodeSize != 2 {
		t.Error("no denoiser or no 2-D code model")
	}
	if _, err := catalog.New("nope"); err == nil || !strings.Contains(err.Error(), "simple") {
		t.Errorf("unknown model: %v", err)
	}
}

// TestSeedMACs: the forward multiply-adds of the post's models, as the
// design's cost table gives them.
func TestSeedMACs(t *testing.T) {
	for name, want := range map[string]int{"simple": 50176, "deep": 221184, "conv": 732672, "denoise": 4515840} {
		m, err := catalog.New(name)
		if err != nil {
			t.Fatal(err)
		}
		if got := m.MACs(); got != want {
			t.Errorf("%s: %d multiply-adds, want %d", name, got, want)
		}
	}
}

// TestResolve: names and spec texts give entries; a catalogue model
// written as a spec (spaced anyhow) is that entry; another is custom,
// named by its canonical text; a bad one is refused naming its layer.
func TestResolve(t *testing.T) {
	for _, e := range catalog.All() {
		got, err := catalog.Resolve(e.Name)
		if err != nil || got.Name != e.Name {
			t.Errorf("Resolve(%q) = %q, %v", e.Name, got.Name, err)
		}
		spaced := strings.ReplaceAll(e.Spec.String(), ";", " ;\n ")
		if got, err := catalog.Resolve(spaced); err != nil || got.Name != e.Name || got.Custom {
			t.Errorf("Resolve(its spec %q) = %q, %v", spaced, got.Name, err)
		}
	}
	linear := "input(784);dense(16,linear)*;dense(784,linear);loss(mse)"
	e, err := catalog.Resolve(" input(784); dense(16,linear)*; dense(784,linear); loss(mse) ")
	if err != nil || !e.Custom || e.Name != linear || e.Title != catalog.CustomTitle || e.CodeSize != 16 {
		t.Errorf("custom: %+v, %v", e, err)
	}
	m, err := catalog.New(linear)
	if err != nil || m.Spec != linear || m.NumParams() != 784*16+16+16*784+784 {
		t.Errorf("custom model: %v, %v", m, err)
	}
	if _, err := catalog.Resolve("input(784);dense(32,relu)*;dense(700,sigmoid)"); err == nil || !strings.Contains(err.Error(), "layer 2 (Dense)") {
		t.Errorf("a bad spec: %v", err)
	}
	if _, err := catalog.Resolve("lstm"); err == nil || !strings.Contains(err.Error(), "the models are simple, deep") {
		t.Errorf("an unknown name: %v", err)
	}
}

// TestSpecInWeightsFiles: every model's weights file names its spec, and
// the spec read back resolves to the same model: the catalogue's, an
// edited one and random valid specs (spec → metadata → spec).
func TestSpecInWeightsFiles(t *testing.T) {
	models := catalog.Names()
	models = append(models, "input(28x28x1);conv2d(4,3,relu,same);maxpooling2d(2,same)*;upsampling2d(2);conv2d(1,3,sigmoid,same);noise(0.3);loss(bce)")
	r := rand.New(rand.NewPCG(5, 6))
	for range 40 {
		models = append(models, spectest.Random(r).String())
	}
	for _, name := range models {
		m, err := catalog.New(name)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := weights.Write(&buf, m, nil); err != nil {
			t.Fatal(err)
		}
		fresh, _ := catalog.New(name)
		meta, err := weights.Read(buf.Bytes(), fresh)
		if err != nil {
			t.Fatal(err)
		}
		e, err := catalog.Resolve(meta["spec"])
		if err != nil || e.Name != m.Name || e.Spec.String() != m.Spec {
			t.Errorf("%s: the file's spec %q resolves to %q (%v)", name, meta["spec"], e.Name, err)
		}
	}
}

// TestCatalogueWithinLimits: the numbers nn/spec's limits are set against,
// and a batch of 256 of every model fits the activation memory limit.
func TestCatalogueWithinLimits(t *testing.T) {
	most, values := map[string]int{}, map[string]int{}
	for _, e := range catalog.All() {
		p, err := e.Spec.Plan()
		if err != nil {
			t.Fatal(err)
		}
		most[e.Name], values[e.Name] = p.Params, p.Values
		if err := p.CheckBatch(256); err != nil {
			t.Errorf("%s: %v", e.Name, err)
		}
	}
	if most["latent2d"] != 936466 || values["denoise"] != 79968 {
		t.Errorf("latent2d %d parameters, denoise %d values per digit: update nn/spec's comment on its limits", most["latent2d"], values["denoise"])
	}
	for name := range most {
		if most[name] > most["latent2d"] || values[name] > values["denoise"] {
			t.Errorf("%s now has the most parameters or values: update nn/spec's comment on its limits", name)
		}
	}
}
