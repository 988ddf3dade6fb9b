package nn

import (
	"aeplay/nn/internal/nntest"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// tunedKernel is a kernel with another Tuning: tests force an algorithm on
// or off with it.
type tunedKernel struct {
	Kernel
	tuning Tuning
}

func (k tunedKernel) Tuning() Tuning { return k.tuning }

// withWinograd returns k with Winograd forced on (for every 3×3, stride-1
// convolution; direct convolutions off, so that Winograd is what runs) or
// off, its other choices kept.
func withWinograd(k Kernel, on bool) Kernel {
	t := k.Tuning()
	t.WinogradFwd, t.WinogradBwd = 0, 0
	if on {
		t.WinogradFwd, t.WinogradBwd, t.Direct = 1, 1, false
	}
	return tunedKernel{k, t}
}

// winoCase is a layer and its input for comparing Winograd with im2col:
// x in [0, 1) (a ReLU's output), glorot-uniform weights, dz of the size a
// mean loss's gradient has.
type winoCase struct {
	l      *Conv2DLayer
	x, dz  []float32
	n      int
	outLen int
}

func newWinoCase(t testing.TB, rng *rand.Rand, cin, cout, h, w int, pad Padding, n int) winoCase {
	l := Conv2D(cout, 3, 1, pad, ReLU)
	l.setName("conv2d_1")
	out, err := l.build(Shape{h, w, cin})
	if err != nil {
		t.Fatal(err)
	}
	lim := math.Sqrt(6 / float64(9*cin+9*cout))
	for i := range l.kernel.Value {
		l.kernel.Value[i] = float32((rng.Float64()*2 - 1) * lim)
	}
	x := make([]float32, n*h*w*cin)
	for i := range x {
		x[i] = float32(rng.Float64())
	}
	dz := randSlice(rng, n*out.Size())
	for i := range dz {
		dz[i] *= 1e-3
	}
	return winoCase{l: l, x: x, dz: dz, n: n, outLen: n * out.Size()}
}

// closeTo fails unless got and want agree to within rtol of want's largest
// magnitude (a sum's rounding scales with its terms, not its value).
func closeTo(t *testing.T, what string, got, want []float32, rtol float64) {
	t.Helper()
	var scale float64
	for _, v := range want {
		scale = max(scale, math.Abs(float64(v)))
	}
	if scale == 0 {
		t.Fatalf("%s: all zeros; the comparison says nothing", what)
	}
	for i := range want {
		if d := math.Abs(float64(got[i] - want[i])); d > rtol*scale || math.IsNaN(float64(got[i])) {
			t.Fatalf("%s[%d] = %v, want %v (scale %.3g)", what, i, got[i], want[i], scale)
		}
	}
}

// TestWinogradMatchesIm2col checks Winograd's forward pass, input gradient
// and weight gradient against im2col's on every kernel, for both paddings,
// odd sizes and tiles that straddle images.
func TestWinogradMatchesIm2col(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	chans := [][2]int{{1, 1}, {1, 16}, {1, 32}, {3, 3}, {3, 8}, {8, 8}, {8, 16}, {16, 8}, {16, 1}, {32, 1}, {16, 32}, {32, 32}}
	sizes := [][2]int{{28, 28}, {14, 14}, {7, 7}, {4, 4}, {5, 5}, {5, 8}, {27, 13}}
	for kname, newK := range kernelsUnderTest() {
		on, off := &Workspace{Kernel: withWinograd(newK(), true)}, &Workspace{Kernel: withWinograd(newK(), false)}
		for ci, ch := range chans {
			for si, sz := range sizes {
				for _, pad := range []Padding{Same, Valid} {
					// Both batch sizes for the small cases; one, alternating,
					// for the rest (the wasm kernels are slow).
					ns := []int{1, 7}
					if ch[0]*ch[1]*sz[0]*sz[1] > 8*8*14*14 {
						ns = ns[(ci+si)%2:][:1]
					}
					for _, n := range ns {
						name := fmt.Sprintf("%s/%dx%dx%d->%d/%v/n=%d", kname, sz[0], sz[1], ch[0], ch[1], pad, n)
						c := newWinoCase(t, rng, ch[0], ch[1], sz[0], sz[1], pad, n)
						t.Run(name, func(t *testing.T) { c.compare(t, on, off) })
					}
				}
			}
		}
	}
}

func (c winoCase) compare(t *testing.T, on, off *Workspace) {
	l, n := c.l, c.n
	want, got := make([]float32, c.outLen), make([]float32, c.outLen)
	l.forwardPre(off, c.x, want, n)
	l.forwardPre(on, c.x, got, n)
	closeTo(t, "y", got, want, 1e-5)
	inLen := len(c.x)
	dxWant, dxGot := make([]float32, inLen), make([]float32, inLen)
	dwWant, dwGot := make([]float32, len(l.kernel.Value)), make([]float32, len(l.kernel.Value))
	db := make([]float32, l.Filters)
	for i := range dxGot {
		dxGot[i] = float32(math.NaN()) // overwritten, not added to
	}
	dwGot[0], dwWant[0] = 1, 1 // added to, not overwritten
	l.backwardPre(off, c.x, c.dz, dxWant, [][]float32{dwWant, db}, n)
	l.backwardPre(on, c.x, c.dz, dxGot, [][]float32{dwGot, db}, n)
	closeTo(t, "dx", dxGot, dxWant, 1e-5)
	closeTo(t, "dW", dwGot, dwWant, 1e-5)
	// The first layer's backward: no input gradient.
	clear(dwGot)
	clear(dwWant)
	l.backwardPre(off, c.x, c.dz, nil, [][]float32{dwWant, db}, n)
	l.backwardPre(on, c.x, c.dz, nil, [][]float32{dwGot, db}, n)
	closeTo(t, "dW without dx", dwGot, dwWant, 1e-5)
}

// TestWinogradAgainstDefinition checks Winograd's forward pass on one
// small case against the convolution's definition in float64, so that the
// im2col comparison is not a comparison of two wrongs.
func TestWinogradAgainstDefinition(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, pad := range []Padding{Same, Valid} {
		c := newWinoCase(t, rng, 3, 2, 5, 7, pad, 2)
		l := c.l
		got := make([]float32, c.outLen)
		l.forwardPre(&Workspace{Kernel: withWinograd(NewGoKernel(), true)}, c.x, got, c.n)
		i := 0
		for s := 0; s < c.n; s++ {
			for oy := 0; oy < l.oh; oy++ {
				for ox := 0; ox < l.ow; ox++ {
					for co := 0; co < l.Filters; co++ {
						var want float64
						for ky := 0; ky < 3; ky++ {
							for kx := 0; kx < 3; kx++ {
								iy, ix := oy-l.padT+ky, ox-l.padL+kx
								if iy < 0 || iy >= l.h || ix < 0 || ix >= l.w {
									continue
								}
								for ci := 0; ci < l.cin; ci++ {
									want += float64(c.x[((s*l.h+iy)*l.w+ix)*l.cin+ci]) * float64(l.kernel.Value[((ky*3+kx)*l.cin+ci)*l.Filters+co])
								}
							}
						}
						if d := math.Abs(float64(got[i]) - want); d > 1e-5 {
							t.Fatalf("%v: y[%d,%d,%d,%d] = %v, want %v", pad, s, oy, ox, co, got[i], want)
						}
						i++
					}
				}
			}
		}
	}
}

// TestWinogradDoesNotAllocate runs a model whose convolutions all take
// Winograd through a Runner: after the first step, no allocation.
func TestWinogradDoesNotAllocate(t *testing.T) {
	m, err := NewModel("m", Shape{12, 12, 1}, 1, Conv2D(8, 3, 1, Same, ReLU), Conv2D(8, 3, 1, Valid, ReLU), Conv2D(1, 3, 1, Same, Sigmoid))
	if err != nil {
		t.Fatal(err)
	}
	m.Init(1)
	const n = 5
	r := m.NewRunner(n, withWinograd(NewKernel(), true))
	target := make([]float32, n*m.Output().Size())
	r.ForwardBackward(BCE{}, target, n, 1)
	if a := testing.AllocsPerRun(5, func() { r.ForwardBackward(BCE{}, target, n, 1) }); a != 0 {
		t.Errorf("%v allocations per step", a)
	}
}

// winoBenchLayers are the 3×3, stride-1 convolutions of the catalogue's
// conv and denoise models (nn/catalog): input, filters, padding, and
// whether the layer is its model's first (no input gradient).
var winoBenchLayers = []struct {
	name  string
	in    Shape
	cout  int
	pad   Padding
	first bool
}{
	{"conv1-28x28x1-16", Shape{28, 28, 1}, 16, Same, true},
	{"conv2-14x14x16-8", Shape{14, 14, 16}, 8, Same, false},
	{"conv4-4x4x8-8", Shape{4, 4, 8}, 8, Same, false},
	{"conv5-8x8x8-8", Shape{8, 8, 8}, 8, Same, false},
	{"conv6-16x16x8-16-valid", Shape{16, 16, 8}, 16, Valid, false},
	{"conv7-28x28x16-1", Shape{28, 28, 16}, 1, Same, false},
	{"denoise1-28x28x1-32", Shape{28, 28, 1}, 32, Same, true},
	{"denoise2-14x14x32-32", Shape{14, 14, 32}, 32, Same, false},
	{"denoise3-7x7x32-32", Shape{7, 7, 32}, 32, Same, false},
	{"denoise5-28x28x32-1", Shape{28, 28, 32}, 1, Same, false},
}

// BenchmarkConvWinograd times each catalogue layer's forward pass
// (pre-activation) and backward pass (both gradients; the weight's alone
// for a first layer) on a shard of 128 samples (a batch of 256 over two
// workers), by im2col, by Winograd and, for a layer with one channel in or
// out, by direct convolution (Tuning.Direct), on every kernel. The
// denoiser's fourth layer is its second's geometry.
func BenchmarkConvWinograd(b *testing.B) {
	const n = 128
	for _, g := range winoBenchLayers {
		rng := rand.New(rand.NewPCG(1, 2))
		c := newWinoCase(b, rng, g.in[2], g.cout, g.in[0], g.in[1], g.pad, n)
		y := make([]float32, c.outLen)
		dx := make([]float32, len(c.x))
		if g.first {
			dx = nil
		}
		grads := [][]float32{make([]float32, len(c.l.kernel.Value)), make([]float32, g.cout)}
		algos := []string{"im2col", "winograd"}
		if g.in[2] == 1 || g.cout == 1 {
			algos = append(algos, "direct")
		}
		for kname, newK := range kernelsUnderTest() {
			for _, algo := range algos {
				k := newK()
				t := k.Tuning()
				t.Direct, t.WinogradFwd, t.WinogradBwd = algo == "direct", 0, 0
				if algo == "winograd" {
					t.WinogradFwd, t.WinogradBwd = 1, 1
				}
				ws := &Workspace{Kernel: tunedKernel{k, t}}
				ws.floats(c.l.scratch(n))
				b.Run(fmt.Sprintf("%s/%s/fwd/%s", g.name, kname, algo), func(b *testing.B) {
					loopCPU(b, func() { c.l.forwardPre(ws, c.x, y, n) })
				})
				b.Run(fmt.Sprintf("%s/%s/bwd/%s", g.name, kname, algo), func(b *testing.B) {
					loopCPU(b, func() { c.l.backwardPre(ws, c.x, c.dz, dx, grads, n) })
				})
			}
		}
	}
}

// loopCPU runs f in b.Loop and, where the platform tells (see
// nntest.ThreadCPU), reports the thread's CPU time per call as cpu-ns/op:
// on a shared machine, steadier than ns/op.
func loopCPU(b *testing.B, f func()) {
	c0, ok := nntest.ThreadCPU()
	for b.Loop() {
		f()
	}
	if c1, ok1 := nntest.ThreadCPU(); ok && ok1 {
		b.ReportMetric(float64(c1-c0)/float64(b.N), "cpu-ns/op")
	}
}

// TestWinogradTransforms checks every kernel's transforms against the
// portable code's, exactly (they do the same operations in the same
// order), on strided images and matrices with room around them.
func TestWinogradTransforms(t *testing.T) {
	rng := rand.New(rand.NewPCG(31, 32))
	for kname, newK := range kernelsUnderTest() {
		k := newK()
		for _, c := range []int{1, 3, 4, 8, 16, 32} {
			for _, g := range [][2]int{{1, 1}, {2, 3}, {3, 7}} {
				th, tw := g[0], g[1]
				stride := (2*tw+3)*c + 5
				tl := WinogradTiles{TH: th, TW: tw, C: c, Stride: stride, K0: 2, Pos: (th*tw+3)*c + 1}
				img := randSlice(rng, (2*th+2)*stride)
				tr := randSlice(rng, 16*tl.Pos)
				tmp := make([]float32, 16*c)
				check := func(what string, got, want []float32) {
					t.Helper()
					for i := range want {
						if got[i] != want[i] {
							t.Fatalf("%s: %s, c=%d, %dx%d tiles: [%d] = %v, want %v", kname, what, c, th, tw, i, got[i], want[i])
						}
					}
				}
				got, want := append([]float32(nil), tr...), append([]float32(nil), tr...)
				k.WinogradIn(img, tl, got)
				winogradIn(img, tl, want, tmp)
				check("WinogradIn", got, want)
				got, want = append([]float32(nil), tr...), append([]float32(nil), tr...)
				k.WinogradGradOut(img, tl, got)
				winogradGradOut(img, tl, want, tmp)
				check("WinogradGradOut", got, want)
				got, want = append([]float32(nil), img...), append([]float32(nil), img...)
				k.WinogradOut(tr, tl, got)
				winogradOut(tr, tl, want, tmp)
				check("WinogradOut", got, want)
				got, want = append([]float32(nil), img...), append([]float32(nil), img...)
				k.WinogradGradIn(tr, tl, got)
				winogradGradIn(tr, tl, want, tmp)
				check("WinogradGradIn", got, want)
			}
		}
	}
}

// BenchmarkWinogradTransforms times each kernel's four transforms over a
// chunk of 512 tiles (32 images of 8×8 pixels, 4×4 tiles each, a call an
// image as the layer makes them), with the transformed matrices nt·C
// floats apart ("packed", a multiple of 4 KiB here) and winoPos apart.
func BenchmarkWinogradTransforms(b *testing.B) {
	const imgs, th, tw = 32, 4, 4
	const nt = imgs * th * tw
	for _, c := range []int{8, 32} {
		for _, layout := range []string{"packed", "winoPos"} {
			pos := nt * c
			if layout == "winoPos" {
				pos = winoPos(nt, c)
			}
			in, out := make([]float32, (2*th+2)*(2*tw+2)*c), make([]float32, 2*th*2*tw*c)
			tr := make([]float32, 16*pos)
			tiles := func(i, stride int) WinogradTiles {
				return WinogradTiles{TH: th, TW: tw, C: c, Stride: stride, K0: i * th * tw, Pos: pos}
			}
			for kname, newK := range kernelsUnderTest() {
				k := newK()
				for _, f := range []struct {
					name string
					run  func(i int)
				}{
					{"in", func(i int) { k.WinogradIn(in, tiles(i, (2*tw+2)*c), tr) }},
					{"out", func(i int) { k.WinogradOut(tr, tiles(i, 2*tw*c), out) }},
					{"gradOut", func(i int) { k.WinogradGradOut(out, tiles(i, 2*tw*c), tr) }},
					{"gradIn", func(i int) { k.WinogradGradIn(tr, tiles(i, (2*tw+2)*c), in) }},
				} {
					b.Run(fmt.Sprintf("nt=%d/c=%d/%s/%s/%s", nt, c, layout, f.name, kname), func(b *testing.B) {
						loopCPU(b, func() {
							for i := 0; i < imgs; i++ {
								f.run(i)
							}
						})
					})
				}
			}
		}
	}
}
