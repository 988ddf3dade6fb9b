package nn

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestConvForwardByTapsMatchesPatches checks the forward pass by taps (a
// layer with far fewer filters than input channels; one 3×3 filter has its
// own sum of taps in the SIMD kernel) against im2col and a GEMM, on every
// kernel (whichever its Tuning prefers), for both paddings and odd sizes.
func TestConvForwardByTapsMatchesPatches(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	for kname, newK := range kernelsUnderTest() {
		for _, tc := range []struct {
			filters, k int
			pad        Padding
			in         Shape
		}{{1, 3, Same, Shape{28, 28, 16}}, {1, 3, Valid, Shape{9, 7, 16}}, {1, 3, Same, Shape{5, 6, 8}}, {2, 3, Same, Shape{6, 6, 16}}, {1, 5, Same, Shape{7, 7, 8}}} {
			l := Conv2D(tc.filters, tc.k, 1, tc.pad, Sigmoid)
			out, err := l.build(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range l.Params() {
				copy(p.Value, randSlice(rng, len(p.Value)))
			}
			const n = 3
			x := randSlice(rng, n*tc.in.Size())
			want, got := make([]float32, n*out.Size()), make([]float32, n*out.Size())
			ws := &Workspace{Kernel: newK()}
			ws.floats(l.scratch(n))
			l.forwardPatches(ws, x, want, n)
			l.forwardTaps(ws, x, got, n)
			for i := range want {
				if d := math.Abs(float64(got[i] - want[i])); d > 1e-5 {
					t.Fatalf("%s: %+v: z[%d] = %v by taps, %v by patches", kname, tc, i, got[i], want[i])
				}
			}
		}
	}
}
