package spec

import (
	"testing"

	"aeplay/internal/alloctest"
)

// FuzzParse: any text is parsed or refused without a panic, within a
// bounded allocation; what parses writes back to text that parses to the
// same spec, and Plan (which allocates no model) never panics on it.
func FuzzParse(f *testing.F) {
	f.Add(convText)
	f.Add(`input(784); dense(32,relu)*; dense(784,sigmoid); noise(0.5); loss(mse)`)
	f.Add(`input(28x28x1); upsampling2d(8); reshape(1x1x1)*; flatten`)
	f.Fuzz(func(t *testing.T, text string) {
		var s Spec
		var err error
		alloctest.Check(t, "Parse", len(text), 32, func() { s, err = Parse(text) })
		if err != nil {
			return
		}
		back, err := Parse(s.String())
		if err != nil {
			t.Fatalf("%q wrote %q, which does not parse: %v", text, s, err)
		}
		if back.String() != s.String() {
			t.Fatalf("%q: %q read back as %q", text, s, back)
		}
		alloctest.Check(t, "Plan", len(text), 32, func() { s.Plan() })
	})
}
