package nn

import (
	"fmt"
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

// withDirect returns k with direct convolutions (Tuning.Direct) forced on
// or off, and Winograd off, so that off is im2col.
func withDirect(k Kernel, on bool) Kernel {
	t := k.Tuning()
	t.Direct, t.WinogradFwd, t.WinogradBwd = on, 0, 0
	return tunedKernel{k, t}
}

// TestConvDirectMatchesIm2col checks the direct convolutions of layers
// with one input or one output channel, forward and back, against im2col
// on every kernel, for both paddings, odd sizes, rows of fewer than four
// pixels, and channel counts the vector loops do not take.
func TestConvDirectMatchesIm2col(t *testing.T) {
	rng := rand.New(rand.NewPCG(31, 32))
	chans := [][2]int{{1, 8}, {1, 16}, {1, 32}, {1, 12}, {1, 1}, {8, 1}, {16, 1}, {32, 1}, {3, 1}}
	sizes := [][2]int{{28, 28}, {5, 5}, {5, 8}, {3, 7}, {27, 13}}
	for kname, newK := range kernelsUnderTest() {
		on, off := &Workspace{Kernel: withDirect(newK(), true)}, &Workspace{Kernel: withDirect(newK(), false)}
		for _, ch := range chans {
			for _, sz := range sizes {
				for _, pad := range []Padding{Same, Valid} {
					for _, n := range []int{1, 3} {
						c := newWinoCase(t, rng, ch[0], ch[1], sz[0], sz[1], pad, n)
						t.Run(fmt.Sprintf("%s/%dx%dx%d->%d/%v/n=%d", kname, sz[0], sz[1], ch[0], ch[1], pad, n), func(t *testing.T) {
							c.compare(t, on, off)
						})
					}
				}
			}
		}
	}
}
