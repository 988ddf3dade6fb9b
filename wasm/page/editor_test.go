package page

import (
	"errors"
	"math/rand/v2"
	"slices"
	"testing"

	"aeplay/nn/catalog"
	"aeplay/nn/spec"
	"aeplay/nn/spec/spectest"
)

func mustSpec(t *testing.T, text string) spec.Spec {
	t.Helper()
	s, err := spec.Parse(text)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestEditsKeepTheCode: the code mark stays on its layer as layers are
// added, moved and removed, and an edit leaves the spec it started from
// alone.
func TestEditsKeepTheCode(t *testing.T) {
	s := mustSpec(t, "input(784);dense(128,relu);dense(32,relu)*;dense(784,sigmoid);loss(bce)")
	before := s.String()
	for _, tc := range []struct {
		name string
		got  spec.Spec
		want string
	}{
		{"insert before the code", InsertLayer(s, 0, spec.Dense), "input(784);dense(32,relu);dense(128,relu);dense(32,relu)*;dense(784,sigmoid);loss(bce)"},
		{"insert after the code", InsertLayer(s, 2, spec.Dense), "input(784);dense(128,relu);dense(32,relu)*;dense(32,relu);dense(784,sigmoid);loss(bce)"},
		{"move the code up", MoveLayer(s, 1, -1), "input(784);dense(32,relu)*;dense(128,relu);dense(784,sigmoid);loss(bce)"},
		{"move a layer over the code", MoveLayer(s, 0, 1), "input(784);dense(32,relu)*;dense(128,relu);dense(784,sigmoid);loss(bce)"},
		{"move off the end", MoveLayer(s, 2, 1), before},
		{"remove before the code", RemoveLayer(s, 0), "input(784);dense(32,relu)*;dense(784,sigmoid);loss(bce)"},
		{"remove the code", RemoveLayer(s, 1), "input(784);dense(128,relu)*;dense(784,sigmoid);loss(bce)"},
		{"remove after the code", RemoveLayer(s, 2), "input(784);dense(128,relu);dense(32,relu)*;loss(bce)"},
		{"a new kind gets its defaults", SetLayer(s, 0, spec.Layer{Kind: spec.Reshape}), "input(784);reshape(28x28x1);dense(32,relu)*;dense(784,sigmoid);loss(bce)"},
	} {
		if got := tc.got.String(); got != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.name, got, tc.want)
		}
	}
	if s.String() != before {
		t.Errorf("the edits changed their argument: %s", s)
	}
}

// TestNewLayerFitsItsInput: a Reshape added after a layer fits it.
func TestNewLayerFitsItsInput(t *testing.T) {
	for _, tc := range []struct {
		in, want []int
	}{
		{[]int{784}, []int{28, 28, 1}}, {[]int{128}, []int{8, 8, 2}}, {[]int{32}, []int{4, 4, 2}},
		{[]int{7}, []int{1, 1, 7}}, {[]int{4, 4, 8}, []int{128}},
	} {
		if got := NewLayer(spec.Reshape, tc.in).Target; !slices.Equal(got, tc.want) {
			t.Errorf("reshape after %v: %v, want %v", tc.in, got, tc.want)
		}
	}
	// Any kind put first in an image model plans, or fails on a layer.
	s := mustSpec(t, "input(28x28x1);flatten;dense(784,sigmoid)*;reshape(28x28x1);loss(bce)")
	for _, kind := range spec.Kinds {
		var se *spec.Error
		if _, err := InsertLayer(s, 0, kind).Plan(); err != nil && (!errors.As(err, &se) || se.Layer == 0) {
			t.Errorf("%s first: an error not on a layer: %v", kind, err)
		}
	}
}

// TestConvWith32ByEdits: the editor's two changes from the conv model to
// the post's attempt at a 32-number code (2 filters in the code's
// convolution, then the decoder's Reshape to 4×4×2) land on the
// catalogue's conv32 entry, its pretrained weights and all; between them
// the spec fails on the Reshape.
func TestConvWith32ByEdits(t *testing.T) {
	conv, _ := catalog.Lookup("conv")
	l := conv.Spec.Layers[conv.Spec.Code-1]
	if l.Kind != spec.Conv2D {
		t.Fatalf("the layer before conv's code is %s", l.Kind)
	}
	l.Filters = 2
	half := SetLayer(conv.Spec, conv.Spec.Code-1, l)
	var se *spec.Error
	if _, err := half.Plan(); !errors.As(err, &se) || se.Kind != "Reshape" || se.Layer != conv.Spec.Code+2 {
		t.Fatalf("2 filters alone: %v, want the Reshape's error", err)
	}
	r := half.Layers[conv.Spec.Code+1]
	r.Target = []int{4, 4, 2}
	got := SetLayer(half, conv.Spec.Code+1, r)
	e, err := catalog.Resolve(got.String())
	if err != nil || e.Name != "conv32" || e.Custom {
		t.Fatalf("%s resolves to %q (custom %v), %v", got, e.Name, e.Custom, err)
	}
}

// TestRandomEditsRoundTrip is the property the editor and the address
// rely on: from every catalogue model and from random specs, any sequence
// of edits gives a spec that either plans, and then survives spec → URL →
// spec and spec → text → spec unchanged, or fails with an error, never a
// panic.
func TestRandomEditsRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	var starts []spec.Spec
	for _, name := range catalog.Names() {
		e, _ := catalog.Lookup(name)
		starts = append(starts, e.Spec)
	}
	for range 100 {
		starts = append(starts, spectest.Random(r))
	}
	valid := 0
	for i, s := range starts {
		last := s
		for step := range 20 {
			// A reader fixes a broken model, or breaks it further.
			s = randomEdit(r, s)
			_, err := s.Plan()
			if err != nil {
				if r.IntN(2) == 0 {
					s = last
				}
				continue
			}
			last = s
			valid++
			text := s.String()
			// A catalogue model comes back by its name.
			got, problems := ParseHash(Defaults(text).Hash())
			e, err := catalog.Resolve(got.Model)
			if len(problems) > 0 || err != nil || e.Spec.String() != text {
				t.Fatalf("start %d step %d: %s came back from the URL as %s (%v, %v)", i, step, text, got.Model, problems, err)
			}
			back, err := spec.Parse(text)
			if err != nil || back.String() != text {
				t.Fatalf("start %d step %d: %s read back as %s, %v", i, step, text, back, err)
			}
		}
	}
	if valid < 200 {
		t.Errorf("only %d valid specs among the edits: the property is hardly tested", valid)
	}
}

// randomEdit is one edit a reader might make.
func randomEdit(r *rand.Rand, s spec.Spec) spec.Spec {
	n := len(s.Layers)
	if n == 0 {
		return InsertLayer(s, 0, spec.Kinds[r.IntN(len(spec.Kinds))])
	}
	i := r.IntN(n)
	switch r.IntN(7) {
	case 0:
		return InsertLayer(s, r.IntN(n+1), spec.Kinds[r.IntN(len(spec.Kinds))])
	case 1:
		return RemoveLayer(s, i)
	case 2:
		return MoveLayer(s, i, 1-2*r.IntN(2))
	case 3:
		c := s.Clone()
		c.Code = i
		return c
	case 4:
		return SetLayer(s, i, spec.Layer{Kind: spec.Kinds[r.IntN(len(spec.Kinds))]})
	default:
		l := s.Layers[i]
		l.Units = max(1, l.Units+r.IntN(65)-32)
		l.Filters = max(1, l.Filters+r.IntN(9)-4)
		if l.Kind == spec.Conv2D {
			l.Kernel = 1 + r.IntN(5)
		}
		return SetLayer(s, i, l)
	}
}

func TestParseDims(t *testing.T) {
	for in, want := range map[string][]int{"4,4,8": {4, 4, 8}, "4×4×8": {4, 4, 8}, "4x4 x8": {4, 4, 8}, "128": {128}} {
		if got, err := ParseDims(in); err != nil || !slices.Equal(got, want) {
			t.Errorf("%q: %v, %v", in, got, err)
		}
	}
	for _, in := range []string{"", "4,,4", "0", "-1", "a"} {
		if _, err := ParseDims(in); err == nil {
			t.Errorf("%q: no error", in)
		}
	}
}

// TestEpochEstimate: the estimate scales the measured rate by the model's
// multiply-adds, kept apart for conv models.
func TestEpochEstimate(t *testing.T) {
	simple, _ := catalog.Lookup("simple")
	conv, _ := catalog.Lookup("conv")
	var r Rates
	ps, _ := simple.Spec.Plan()
	if _, ok := r.EpochSeconds(simple.Spec, ps, 60000); ok {
		t.Fatal("an estimate before any run")
	}
	r.Observe(simple.Spec, 60000) // 60,000 digits a second
	if sec, ok := r.EpochSeconds(simple.Spec, ps, 60000); !ok || sec < 0.999 || sec > 1.001 {
		t.Errorf("simple at 60,000 digits/s: an epoch of 60,000 in %v s", sec)
	}
	pc, _ := conv.Spec.Plan()
	if _, ok := r.EpochSeconds(conv.Spec, pc, 60000); ok {
		t.Error("a conv estimate from a dense model's speed")
	}
	for sec, want := range map[float64]string{0.42: "0.4 s", 12.4: "12 s", 600: "10 min", 9000: "2.5 h"} {
		if got := Duration(sec); got != want {
			t.Errorf("Duration(%v) = %s, want %s", sec, got, want)
		}
	}
}
