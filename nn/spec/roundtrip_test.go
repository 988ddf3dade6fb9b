package spec_test

import (
	"math/rand/v2"
	"testing"

	"aeplay/nn/spec"
	"aeplay/nn/spec/spectest"
)

// TestRoundTrip: for every generated spec, text → spec gives it back, and
// the spec builds a model whose shapes are the plan's.
func TestRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 300 {
		s := spectest.Random(r)
		p, err := s.Plan()
		if err != nil {
			t.Fatalf("spec %d %s: %v", i, s, err)
		}
		back, err := spec.Parse(s.String())
		if err != nil {
			t.Fatalf("spec %d: %s does not parse: %v", i, s, err)
		}
		if back.String() != s.String() || back.Code != s.Code || back.Noise != s.Noise || back.Loss != s.Loss || back.Sum != s.Sum || back.NoiseKind != s.NoiseKind {
			t.Fatalf("spec %d:\n%s\nread back as\n%s", i, s, back)
		}
		m, err := s.Build("x")
		if err != nil {
			t.Fatalf("spec %d %s: %v", i, s, err)
		}
		pens := 0
		for _, l := range s.Layers {
			if l.L1 != 0 || l.L2 != 0 || l.Kind == spec.Sampling {
				pens++
			}
		}
		if len(m.Penalties) != pens || m.PerSample != s.Sum {
			t.Fatalf("spec %d %s: %d penalties in the model, %d in the spec", i, s, len(m.Penalties), pens)
		}
		for j, lp := range p.Layers {
			if m.Layers[j].Name() != lp.Name {
				t.Fatalf("spec %d %s: layer %d is %s, planned %s", i, s, j, m.Layers[j].Name(), lp.Name)
			}
		}
		if m.NumParams() != p.Params || m.CodeShape().Size() != p.CodeSize {
			t.Fatalf("spec %d %s: model %d params, code %d; plan %d, %d", i, s, m.NumParams(), m.CodeShape().Size(), p.Params, p.CodeSize)
		}
	}
}
