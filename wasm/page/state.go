package page

import (
	"aeplay/internal/numfmt"
	"aeplay/internal/workers"
	"aeplay/nn/catalog"
	"aeplay/nn/spec"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Settings is everything a run depends on, and what the URL hash holds, so
// a copied address reproduces the exact setup.
type Settings struct {
	Model      string
	Preset     string // "quick", "seed" or "custom"
	Epochs     int
	Batch      int
	LR         float64
	Samples    int     // training digits
	ValSamples int     // validation digits
	Noise      float64 // σ, or p of masking
	NoiseKind  string  // "" (Gaussian) or spec.MaskNoise
	Seed       int
	Autostart  bool
	Embed      bool
	Hide       []string // controls hidden by the embedder: any of Controls
	Show       []string // controls an embed shows beside its default ones (EmbedControls)
	Theme      string   // "light" or "dark" to match a host page; "" follows the reader's system
	Workers    int      // web workers sharing each batch; 0: the default for the browser's cores
	// Weights is the URL of a weights file to show at once (an embedder's
	// trained model, served with CORS); "" for none.
	Weights string
}

// WorkerCount is the number of workers to run given the browser's core
// count: the reader's choice, else the default (package workers).
func (s Settings) WorkerCount(cores int) int {
	if s.Workers > 0 {
		return s.Workers
	}
	return workers.Default(cores)
}

// preset is a named recipe.
type preset struct {
	epochs, batch, samples, val int
}

// presetOf returns a model's quick preset, or the post's recipe.
func presetOf(model, name string) (preset, bool) {
	switch name {
	case "seed":
		r := catalog.SeedRecipe()
		return preset{r.Epochs, r.Batch, r.Samples, r.Val}, true
	case "quick":
		if e, err := catalog.Resolve(model); err == nil {
			return preset{e.Quick.Epochs, e.Quick.Batch, e.Quick.Samples, e.Quick.Val}, true
		}
	}
	return preset{}, false
}

// Presets are the preset names, for the picker.
var Presets = []string{"quick", "seed", "custom"}

// Defaults returns the quick preset of a model.
func Defaults(model string) Settings {
	s := Settings{Model: model, LR: 0.001, Seed: 1}
	if e, err := catalog.Resolve(model); err == nil {
		s.Model, s.Noise, s.NoiseKind = e.Name, e.Spec.Noise, e.Spec.NoiseKind // the spec's float64: 0.3, not float32's 0.30000001…
	}
	s.ApplyPreset("quick")
	return s
}

// ApplyPreset sets the recipe fields from a named preset ("custom" keeps
// them).
func (s *Settings) ApplyPreset(name string) {
	p, ok := presetOf(s.Model, name)
	if !ok {
		s.Preset = "custom"
		return
	}
	s.Preset = name
	s.Epochs, s.Batch, s.Samples, s.ValSamples, s.LR = p.epochs, p.batch, p.samples, p.val, 0.001
}

// MatchPreset names the preset the recipe fields equal, or "custom".
func (s Settings) MatchPreset() string {
	for _, name := range []string{"quick", "seed"} {
		t := s
		t.ApplyPreset(name)
		if t.Epochs == s.Epochs && t.Batch == s.Batch && t.Samples == s.Samples && t.ValSamples == s.ValSamples && t.LR == s.LR {
			return name
		}
	}
	return "custom"
}

// Describe says what a recipe is, in words: "2 epochs on 2,000 digits,
// validated on 1,000".
func (s Settings) Describe() string {
	d := fmt.Sprintf("%s on %s digits", plural(s.Epochs, "epoch"), numfmt.Thousands(s.Samples))
	if s.ValSamples > 0 {
		d += ", validated on " + numfmt.Thousands(s.ValSamples)
	}
	return d
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return numfmt.Thousands(n) + " " + word + "s"
}

// Hash encodes the settings as a URL fragment, in a fixed order so links
// read the same way every time.
func (s Settings) Hash() string {
	kv := [][2]string{
		{"model", s.Model},
		{"preset", s.Preset},
		{"epochs", strconv.Itoa(s.Epochs)},
		{"batch", strconv.Itoa(s.Batch)},
		{"lr", strconv.FormatFloat(s.LR, 'g', -1, 64)},
		{"samples", strconv.Itoa(s.Samples)},
		{"val", strconv.Itoa(s.ValSamples)},
		{"noise", strconv.FormatFloat(s.Noise, 'g', -1, 64)},
		{"seed", strconv.Itoa(s.Seed)},
	}
	// The kind is written when it is not Gaussian or the model's own is
	// not, so that older links read the same and each link reads back.
	if e, err := catalog.Resolve(s.Model); s.NoiseKind != "" || err == nil && e.Spec.NoiseKind != "" {
		kv = append(kv, [2]string{"noisekind", noiseKindName(s.NoiseKind)})
	}
	if s.Workers > 0 {
		kv = append(kv, [2]string{"workers", strconv.Itoa(s.Workers)})
	}
	if s.Autostart {
		kv = append(kv, [2]string{"autostart", "1"})
	}
	if s.Embed {
		kv = append(kv, [2]string{"embed", "1"})
	}
	if len(s.Show) > 0 {
		kv = append(kv, [2]string{"show", strings.Join(s.Show, ",")})
	}
	if s.Theme != "" {
		kv = append(kv, [2]string{"theme", s.Theme})
	}
	if len(s.Hide) > 0 {
		kv = append(kv, [2]string{"hide", strings.Join(s.Hide, ",")})
	}
	if s.Weights != "" {
		kv = append(kv, [2]string{"weights", s.Weights})
	}
	parts := make([]string, len(kv))
	for i, p := range kv {
		parts[i] = p[0] + "=" + queryEscape(p[1])
	}
	return strings.Join(parts, "&")
}

// ParseHash reads settings from a URL fragment. Unknown keys are ignored;
// bad values fall back to the model's defaults and are reported, so a
// mangled link still opens a working page and says what it ignored.
func ParseHash(h string) (Settings, []string) {
	h = strings.TrimPrefix(h, "#")
	v, err := parseQuery(h)
	var problems []string
	if err != nil {
		problems = append(problems, "the address's settings could not be read")
	}
	model := v.Get("model")
	first := catalog.Names()[0]
	if model == "" {
		model = first
	}
	// A name or a spec's text; a spec is shown in its canonical form.
	if _, err := catalog.Resolve(model); err != nil {
		if spec.IsText(model) {
			problems = append(problems, "the model in the address cannot be built: "+err.Error())
		} else {
			problems = append(problems, fmt.Sprintf("unknown model %q", model))
		}
		model = first
	}
	s := Defaults(model)
	if p := v.Get("preset"); p != "" {
		if !slices.Contains(Presets, p) {
			problems = append(problems, fmt.Sprintf("unknown preset %q", p))
		} else {
			s.ApplyPreset(p)
		}
	}
	intField := func(key string, dst *int, lo, hi int) {
		if raw := v.Get(key); raw != "" {
			n, err := strconv.Atoi(raw)
			if err != nil || n < lo || n > hi {
				problems = append(problems, fmt.Sprintf("%s=%s is not a whole number from %d to %s", key, raw, lo, numfmt.Thousands(hi)))
				return
			}
			*dst = n
		}
	}
	floatField := func(key string, dst *float64, lo, hi float64, loOpen bool) {
		if raw := v.Get(key); raw != "" {
			f, err := strconv.ParseFloat(raw, 64)
			if err != nil || math.IsNaN(f) || f < lo || f > hi || loOpen && f == lo {
				problems = append(problems, fmt.Sprintf("%s=%s is out of range", key, raw))
				return
			}
			*dst = f
		}
	}
	intField("epochs", &s.Epochs, 1, 1000)
	intField("batch", &s.Batch, 1, 60000)
	floatField("lr", &s.LR, 0, 1, true)
	intField("samples", &s.Samples, 1, 60000)
	intField("val", &s.ValSamples, 0, 10000)
	switch k := v.Get("noisekind"); k {
	case "":
	case "gaussian":
		s.NoiseKind = ""
	case spec.MaskNoise:
		s.NoiseKind = k
	default:
		problems = append(problems, fmt.Sprintf("unknown noisekind %q (gaussian or mask)", k))
	}
	if s.NoiseKind == spec.MaskNoise {
		floatField("noise", &s.Noise, 0, 1, false)
		if s.Noise > 1 { // the model's σ, with masking asked for
			problems = append(problems, fmt.Sprintf("noise %v is not a masking probability: 1 instead", s.Noise))
			s.Noise = 1
		}
	} else {
		floatField("noise", &s.Noise, 0, 2, false)
	}
	intField("seed", &s.Seed, 0, 1<<30)
	intField("workers", &s.Workers, 1, 16)
	s.Autostart = v.Get("autostart") == "1"
	s.Embed = v.Get("embed") == "1"
	switch t := v.Get("theme"); t {
	case "light", "dark":
		s.Theme = t
	case "", "auto":
	default:
		problems = append(problems, fmt.Sprintf("unknown theme %q (light, dark or auto)", t))
	}
	for _, c := range []struct {
		key  string
		list *[]string
	}{{"show", &s.Show}, {"hide", &s.Hide}} {
		for _, name := range strings.Split(v.Get(c.key), ",") {
			switch {
			case name == "":
			case slices.Contains(Controls, name):
				*c.list = append(*c.list, name)
			default:
				problems = append(problems, fmt.Sprintf("unknown control %q in %s=", name, c.key))
			}
		}
	}
	if w := v.Get("weights"); w != "" {
		if msg := weightsURLProblem(w); msg != "" {
			problems = append(problems, msg)
		} else {
			s.Weights = w
		}
	}
	if v.Get("preset") == "" || v.Get("preset") == "custom" {
		s.Preset = s.MatchPreset()
	}
	return s, problems
}

// MaxWeightsURL is the longest weights= the page reads.
const MaxWeightsURL = 2048

// weightsURLProblem says why weights= cannot be fetched, or "": it must be
// an http(s) URL or a path on this site.
func weightsURLProblem(u string) string {
	if len(u) > MaxWeightsURL {
		return fmt.Sprintf("weights= is longer than %d characters", MaxWeightsURL)
	}
	scheme, _, hasScheme := strings.Cut(u, ":")
	if hasScheme && !strings.ContainsAny(scheme, "/?#") {
		if s := strings.ToLower(scheme); s != "https" && s != "http" {
			return fmt.Sprintf("weights=%s is not an http or https address", u)
		}
	}
	if strings.ContainsAny(u, " \t\n\r\\") {
		return "weights= has spaces or backslashes: write the address of the file"
	}
	return ""
}

// Controls are the controls an embedder may show or hide by name.
var Controls = []string{"preset", "epochs", "batch", "lr", "samples", "val", "noise", "seed", "step", "stop", "reset", "restore", "save", "load"}

// EmbedControls are what an embed shows unless told otherwise: the Train
// button (always there) and Reset, which brings the pretrained weights
// back after a reader's run.
var EmbedControls = []string{"reset"}

// Hidden reports whether a control is hidden: named in hide=, or, in an
// embed, neither a default embed control nor named in show=.
func (s Settings) Hidden(control string) bool {
	if slices.Contains(s.Hide, control) {
		return true
	}
	return s.Embed && !slices.Contains(EmbedControls, control) && !slices.Contains(s.Show, control)
}

// The hash is a query string. net/url would parse it, but adds to the
// WebAssembly download; these few lines do what the page needs.

// query is a parsed query string: the first value of each key.
type query map[string]string

// Get returns a key's value ("" when absent).
func (q query) Get(key string) string { return q[key] }

func parseQuery(s string) (query, error) {
	q := query{}
	var bad error
	for _, part := range strings.Split(s, "&") {
		if part == "" {
			continue
		}
		k, v, _ := strings.Cut(part, "=")
		k, err1 := queryUnescape(k)
		v, err2 := queryUnescape(v)
		if err1 != nil || err2 != nil {
			bad = fmt.Errorf("bad escape in %q", part)
			continue
		}
		if _, seen := q[k]; !seen {
			q[k] = v
		}
	}
	return q, bad
}

func queryUnescape(s string) (string, error) {
	if !strings.ContainsAny(s, "%+") {
		return s, nil
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '+':
			b.WriteByte(' ')
		case '%':
			if i+2 >= len(s) {
				return "", fmt.Errorf("truncated escape")
			}
			n, err := strconv.ParseUint(s[i+1:i+3], 16, 8)
			if err != nil {
				return "", err
			}
			b.WriteByte(byte(n))
			i += 2
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), nil
}

// queryEscape keeps letters, digits and -_.~ as they are, and the
// fragment's sub-delimiters ,;()* that hide=lr,seed and a model's spec
// (model=input(784);dense(32,relu)*;…) use, and the :/@ of a weights=
// address, so links stay readable; it escapes the rest.
func queryEscape(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("-_.~,;()*:/@", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}
