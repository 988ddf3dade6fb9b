package page

import (
	"aeplay/internal/alloctest"
	"aeplay/internal/workers"
	"aeplay/nn/catalog"
	"aeplay/nn/spec"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestHashRoundTrip(t *testing.T) {
	s := Defaults("conv")
	s.Epochs, s.Seed, s.Autostart, s.Embed, s.Hide, s.Show, s.Workers = 7, 42, true, true, []string{"lr", "seed"}, []string{"epochs", "noise"}, 3
	s.Preset = s.MatchPreset()
	h := s.Hash()
	if !strings.HasPrefix(h, "model=conv&preset=custom&epochs=7&") {
		t.Errorf("hash %q", h)
	}
	got, problems := ParseHash("#" + h)
	if len(problems) > 0 || !reflect.DeepEqual(got, s) {
		t.Errorf("round trip:\n got %+v\nwant %+v\n%v", got, s, problems)
	}
}

// TestNoiseKindInTheAddress: masking noise is written and read back; a
// model whose own noise is masking gets it by default, and a link asking
// for Gaussian noise on it says so; a bad kind is reported.
func TestNoiseKindInTheAddress(t *testing.T) {
	s := Defaults("denoise")
	if s.NoiseKind != "" || strings.Contains(s.Hash(), "noisekind") {
		t.Errorf("the denoiser's Gaussian noise: kind %q, hash %q", s.NoiseKind, s.Hash())
	}
	s.NoiseKind, s.Noise = spec.MaskNoise, 0.25
	h := s.Hash()
	if back, problems := ParseHash(h); !strings.Contains(h, "noise=0.25&seed=1&noisekind=mask") || len(problems) > 0 || !reflect.DeepEqual(back, s) {
		t.Errorf("%q reads back as %+v (%v)", h, back, problems)
	}
	masked := "input(784); dense(32,relu)*; dense(784,sigmoid); noise(mask,0.3); loss(bce)"
	m := Defaults(masked)
	if m.NoiseKind != spec.MaskNoise || m.Noise != 0.3 {
		t.Errorf("a masking model's defaults: %q %v", m.NoiseKind, m.Noise)
	}
	m.NoiseKind, m.Noise = "", 1.5
	if back, problems := ParseHash(m.Hash()); len(problems) > 0 || back.NoiseKind != "" || back.Noise != 1.5 {
		t.Errorf("Gaussian noise on a masking model reads back as %q %v (%v)", back.NoiseKind, back.Noise, problems)
	}
	if back, problems := ParseHash("model=denoise&noisekind=salt&noise=0.3"); len(problems) != 1 || back.NoiseKind != "" || back.Noise != 0.3 {
		t.Errorf("noisekind=salt: %q %v, problems %q", back.NoiseKind, back.Noise, problems)
	}
	if back, problems := ParseHash("model=denoise&noisekind=mask&noise=1.5"); len(problems) != 1 || back.Noise != 0.5 {
		t.Errorf("masking p 1.5: %v, problems %q", back.Noise, problems)
	}
}

func TestPresets(t *testing.T) {
	s := Defaults("denoise")
	if s.Preset != "quick" || s.Noise != 0.5 {
		t.Errorf("denoise defaults %+v", s)
	}
	s.ApplyPreset("seed")
	if s.Epochs != 50 || s.Batch != 256 || s.Samples != 60000 || s.ValSamples != 10000 {
		t.Errorf("seed recipe %+v", s)
	}
	if got := s.Describe(); got != "50 epochs on 60,000 digits, validated on 10,000" {
		t.Errorf("describe: %q", got)
	}
	s.Epochs = 3
	if s.MatchPreset() != "custom" {
		t.Error("an edited recipe is custom")
	}
	if got, _ := ParseHash("model=deep&epochs=50&batch=256&samples=60000&val=10000&lr=0.001"); got.Preset != "seed" {
		t.Errorf("a link with the seed recipe's numbers is the seed preset, got %q", got.Preset)
	}
}

func TestBadHashFallsBackAndSays(t *testing.T) {
	s, problems := ParseHash("model=lstm&epochs=-3&lr=abc&noise=9&samples=1e9&batch=64")
	if s.Model != "simple" || s.Epochs != Defaults("simple").Epochs || s.Batch != 64 || s.LR != 0.001 {
		t.Errorf("fallback settings %+v", s)
	}
	if len(problems) != 5 {
		t.Errorf("problems %q, want 5", problems)
	}
}

func TestQueryEscaping(t *testing.T) {
	for _, s := range []string{"plain", "a b&c=d", "100%", "é", "lr,seed"} {
		q, err := parseQuery("k=" + queryEscape(s))
		if err != nil || q.Get("k") != s {
			t.Errorf("%q: got %q, %v", s, q.Get("k"), err)
		}
	}
	if q, _ := parseQuery("a=1+2&a=3&b=%41"); q.Get("a") != "1 2" || q.Get("b") != "A" {
		t.Errorf("parse: %v", q)
	}
	if _, err := parseQuery("a=%zz"); err == nil {
		t.Error("bad escape accepted")
	}
}

func TestWorkerCount(t *testing.T) {
	s := Settings{Model: "conv"}
	if s.WorkerCount(3) != workers.Default(3) {
		t.Error("without a choice, the default")
	}
	s.Workers = 3
	if s.WorkerCount(16) != 3 || s.WorkerCount(1) != 3 {
		t.Error("an explicit count wins")
	}
}

// TestEmbedControls: an embed shows Train and Reset unless told otherwise;
// show= adds controls, hide= removes any; outside an embed only hide=
// hides; unknown names are reported.
func TestEmbedControls(t *testing.T) {
	s, problems := ParseHash("#model=conv&embed=1&show=epochs,noise&hide=reset,bogus")
	if len(problems) != 1 || !strings.Contains(problems[0], "bogus") {
		t.Errorf("problems %q", problems)
	}
	for c, hidden := range map[string]bool{"epochs": false, "noise": false, "reset": true, "step": true, "lr": true} {
		if s.Hidden(c) != hidden {
			t.Errorf("embed: %s hidden %v, want %v", c, s.Hidden(c), hidden)
		}
	}
	if d, _ := ParseHash("#model=conv&embed=1"); d.Hidden("reset") || !d.Hidden("epochs") {
		t.Error("the embed's defaults: Reset shown, the recipe hidden")
	}
	if f, _ := ParseHash("#model=conv&hide=seed"); !f.Hidden("seed") || f.Hidden("epochs") {
		t.Error("outside an embed only hide= hides")
	}
	if got, _ := ParseHash("#" + s.Hash()); !slices.Equal(got.Show, s.Show) {
		t.Errorf("show= does not survive the hash: %v", got.Show)
	}
	for h, want := range map[string]string{"#theme=dark": "dark", "#theme=light": "light", "#theme=auto": "", "#": ""} {
		if got, problems := ParseHash(h); got.Theme != want || len(problems) > 0 {
			t.Errorf("%s: theme %q, %v", h, got.Theme, problems)
		}
	}
	if d, _ := ParseHash("#theme=dark"); !strings.Contains(d.Hash(), "theme=dark") {
		t.Error("theme= does not survive the hash")
	}
	if _, problems := ParseHash("#theme=pink"); len(problems) != 1 {
		t.Error("an unknown theme is not reported")
	}
}

// FuzzParseHash: no address makes the parser panic or allocate more than a
// bounded multiple of its length, every setting it returns is in range, and
// the hash it writes reads back to the same settings.
func FuzzParseHash(f *testing.F) {
	for _, h := range []string{"", "model=deep&epochs=50", "#model=conv&embed=1&show=epochs,noise&hide=reset&theme=dark", "lr=abc&noise=9&samples=1e9", "seed=%ZZ&workers=3"} {
		f.Add(h)
	}
	f.Fuzz(func(t *testing.T, h string) {
		var s Settings
		alloctest.Check(t, "ParseHash", len(h), 64, func() { s, _ = ParseHash(h) })
		if _, ok := catalog.Lookup(s.Model); !ok || s.Epochs < 1 || s.Batch < 1 || !(s.LR > 0) || s.Samples < 1 || s.ValSamples < 0 || !(s.Noise >= 0) || s.Seed < 0 {
			t.Fatalf("%q gives invalid settings %+v", h, s)
		}
		back, problems := ParseHash(s.Hash())
		if len(problems) > 0 || !reflect.DeepEqual(back, s) {
			t.Fatalf("%q: %+v writes %q, which reads %+v (%v)", h, s, s.Hash(), back, problems)
		}
	})
}

// TestSpecInTheAddress: a model's spec in the address reads back as the
// same model, its text unescaped in the link; a catalogue model written
// as a spec is that model; a spec that cannot be built is reported and the
// first model shown.
func TestSpecInTheAddress(t *testing.T) {
	linear := "input(784);dense(16,linear)*;dense(784,linear);loss(mse)"
	s, problems := ParseHash("#model=" + linear)
	if len(problems) > 0 || s.Model != linear {
		t.Fatalf("model %q, problems %v", s.Model, problems)
	}
	h := s.Hash()
	if !strings.Contains(h, "model="+linear+"&") {
		t.Errorf("the link escapes the spec: %s", h)
	}
	if back, _ := ParseHash(h); back.Hash() != h {
		t.Errorf("round trip: %+v, want %+v", back, s)
	}
	e, _ := catalog.Resolve("conv")
	if s, problems := ParseHash("#model=" + queryEscape(strings.ReplaceAll(e.Spec.String(), ";", "; "))); s.Model != "conv" || len(problems) > 0 {
		t.Errorf("the conv spec: model %q, %v", s.Model, problems)
	}
	s, problems = ParseHash("#model=input(784);dense(32,relu)*;dense(700,sigmoid)")
	if s.Model != catalog.Names()[0] || len(problems) != 1 || !strings.Contains(problems[0], "layer 2 (Dense): gives 700 values") {
		t.Errorf("a bad spec: model %q, %v", s.Model, problems)
	}
}

func TestNoisyRowTitle(t *testing.T) {
	for _, c := range []struct {
		kind  string
		level float64
		want  string
	}{{"", 0.5, "noisy input (σ 0.5)"}, {spec.MaskNoise, 0.3, "masked input (p 0.3)"}, {"", 0.30000001192092896, "noisy input (σ 0.3)"}} {
		if got := strings.ReplaceAll(NoisyRowTitle(c.kind, c.level), "\u00a0", " "); got != c.want {
			t.Errorf("%q %v: %q, want %q", c.kind, c.level, got, c.want)
		}
	}
}
