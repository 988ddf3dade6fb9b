package nn

import (
	"aeplay/nn/internal/nntest"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// naiveGemm is the definition, in float64, for checking kernels.
func naiveGemm(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			var s float64
			for p := 0; p < k; p++ {
				av := a[i*lda+p]
				if transA {
					av = a[p*lda+i]
				}
				bv := b[p*ldb+j]
				if transB {
					bv = b[j*ldb+p]
				}
				s += float64(av) * float64(bv)
			}
			old := float64(c[i*ldc+j])
			if beta == 0 {
				old = 0
			}
			c[i*ldc+j] = float32(float64(alpha)*s + float64(beta)*old)
		}
	}
}

func randSlice(rng *rand.Rand, n int) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = float32(rng.Float64()*2 - 1)
	}
	return s
}

// kernelsUnderTest lists every Kernel the package offers on this platform.
func kernelsUnderTest() map[string]func() Kernel {
	ks := map[string]func() Kernel{"go": func() Kernel { return NewGoKernel() },
		// The SIMD kernel's 4×8 edge tiles, natively.
		"go-4x8": func() Kernel {
			return &GoKernel{name: "go-4x8", shapes: []microShape{{mr: 4, nr: 8, micro: micro4x8}}, dot: dotGo, axpy: axpyGo}
		}}
	for _, newK := range Kernels() {
		ks[newK().Name()] = newK
	}
	return ks
}

func TestGemmMatchesDefinition(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	// m, n, k, and 1 where B's rows are n apart (the kernels take B
	// unpacked when n is their tile's width), 0 where they are n+2.
	sizes := [][4]int{{1, 1, 1, 0}, {3, 5, 7, 0}, {4, 4, 4, 0}, {6, 16, 9, 0}, {13, 8, 300, 0}, {97, 33, 257, 0}, {200, 1, 144, 0}, {1, 784, 32, 0}, {130, 520, 20, 0}, {57, 1, 7, 0}, {1, 12, 9, 0}, {9, 24, 701, 0}, {12, 600, 66, 0},
		{37, 16, 700, 1}, {50, 8, 333, 1}, {21, 32, 650, 1}, {9, 4, 321, 1}}
	for name, newK := range kernelsUnderTest() {
		for _, s := range sizes {
			for _, tr := range [][4]bool{{false, false, false}, {true, false, false}, {false, true, false}, {true, true, false}, {false, false, true}, {false, false, true, true}, {true, false, true, true}} {
				m, n, k := s[0], s[1], s[2]
				alpha := float32(0.7)
				if tr[2] { // alpha 1 takes the kernels' whole-product paths
					alpha = 1
				}
				// beta 0 overwrites C (the SIMD kernel stores its full tiles
				// instead of clearing C first): C starts as NaN.
				beta := float32(-0.3)
				if tr[3] {
					beta = 0
				}
				t.Run(fmt.Sprintf("%s/%dx%dx%d/tA=%v,tB=%v,alpha=%v,beta=%v", name, m, n, k, tr[0], tr[1], alpha, beta), func(t *testing.T) {
					lda, ldb, ldc := k+1, n+2*(1-s[3]), n+3
					if tr[0] {
						lda = m + 1
					}
					if tr[1] {
						ldb = k + 2
					}
					a := randSlice(rng, max(m, k)*lda)
					b := randSlice(rng, max(n, k)*ldb)
					c := randSlice(rng, m*ldc)
					if beta == 0 {
						for i := range c {
							c[i] = float32(math.NaN())
						}
					}
					want := append([]float32(nil), c...)
					naiveGemm(tr[0], tr[1], m, n, k, alpha, a, lda, b, ldb, beta, want, ldc)
					newK().Gemm(tr[0], tr[1], m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
					for i := range c {
						if i%ldc >= n { // between rows: untouched
							if math.Float32bits(c[i]) != math.Float32bits(want[i]) {
								t.Fatalf("c[%d], past row %d's end, = %v, want %v untouched", i, i/ldc, c[i], want[i])
							}
							continue
						}
						if d := math.Abs(float64(c[i] - want[i])); d > 1e-4*float64(k)+1e-5 || math.IsNaN(float64(c[i])) {
							t.Fatalf("c[%d] = %v, want %v", i, c[i], want[i])
						}
					}
				})
			}
		}
	}
}

func TestGemmBetaZeroIgnoresNaN(t *testing.T) {
	for name, newK := range kernelsUnderTest() {
		c := []float32{float32(math.NaN()), float32(math.Inf(1))}
		newK().Gemm(false, false, 1, 2, 1, 1, []float32{2}, 1, []float32{3, 4}, 2, 0, c, 2)
		if c[0] != 6 || c[1] != 8 {
			t.Errorf("%s: got %v, want [6 8]", name, c)
		}
	}
}

// TestKernelOpsMatchPortable checks every kernel's element-wise, loss,
// Adam and window operations against the portable code (GoKernel's), which
// is the reference: natively the AVX2 kernel, under wasm with the SIMD
// module the SIMD kernel.
func TestKernelOpsMatchPortable(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for name, newK := range kernelsUnderTest() {
		t.Run(name, func(t *testing.T) {
			if strings.HasPrefix(name, "go") {
				t.Skip("the portable kernel's operations are the reference")
			}
			testKernelOps(t, rng, name, newK)
		})
	}
}

func testKernelOps(t *testing.T, rng *rand.Rand, name string, newK func() Kernel) {
	v := newK()
	// Axpy (the AVX2 kernel's own assembly; a fused multiply-add may round
	// once where Go rounds twice), over lengths with every tail.
	for _, n := range []int{1, 7, 8, 15, 16, 33, 1003} {
		x, y := randSlice(rng, n), randSlice(rng, n+3)
		want := append([]float32(nil), y...)
		axpyGo(-0.37, x, want)
		v.Axpy(-0.37, x, y)
		for i := range y {
			if d := math.Abs(float64(y[i] - want[i])); d > 1e-6 {
				t.Fatalf("%s: axpy n=%d: y[%d] = %v, want %v", name, n, i, y[i], want[i])
			}
		}
	}
	for _, c := range []int{1, 4, 8, 784} {
		for _, a := range []Activation{ReLU, Sigmoid, Linear} {
			n := 3 * c
			if c == 1 {
				n = 103 // a tail of 3
			}
			y := randSlice(rng, n)
			for i := range y {
				y[i] *= 30 // reach the sigmoid's saturated ends
			}
			bias := randSlice(rng, c)
			want := append([]float32(nil), y...)
			biasAct(a, want, bias)
			v.BiasAct(a, y, bias)
			for i := range y {
				if d := math.Abs(float64(y[i] - want[i])); d > 2e-7*math.Max(1, math.Abs(float64(want[i]))) {
					t.Fatalf("%s: %v c=%d: y[%d] = %v, want %v", name, a, c, i, y[i], want[i])
				}
			}
		}
	}
	y := randSlice(rng, 103)
	for i := range y {
		y[i] = max(y[i], 0)
	}
	dy := randSlice(rng, 103)
	want := append([]float32(nil), dy...)
	actGrad(ReLU, y, want)
	v.ActGrad(ReLU, y, dy)
	if !nntest.Equal(dy, want) {
		t.Errorf("%s: reluGrad differs", name)
	}
	p, tgt := make([]float32, 1003), make([]float32, 1003)
	for i := range p {
		p[i] = float32(rng.Float64())
		tgt[i] = float32(rng.IntN(2))
		if i%3 == 0 {
			tgt[i] = float32(rng.Float64())
		}
	}
	p[0], p[1] = 0, 1 // clipped
	got := v.BCESum(p, tgt)
	if exact := (BCE{}).Sum(p, tgt); math.Abs(got-exact) > 1e-6*exact {
		t.Errorf("%s: bceSum %v, scalar %v", name, got, exact)
	}
	for _, c := range []int{1, 8, 784} {
		z, bias, y := bceCase(rng, 3*784+3, c)
		if c > 1 {
			z = z[:3*784]
		}
		zs, dz, dzs := append([]float32(nil), z...), make([]float32, len(z)), make([]float32, len(z))
		want := sigmoidBCE(zs, bias, y, dzs, 0.37)
		got := v.SigmoidBCE(z, bias, y, dz, 0.37)
		if math.Abs(got-want) > 1e-6*want {
			t.Errorf("%s: sigmoidBCE c=%d: loss %v, scalar %v", name, c, got, want)
		}
		for i := range z {
			if math.Abs(float64(z[i]-zs[i])) > 2e-7 || math.Abs(float64(dz[i]-dzs[i])) > 1e-7 {
				t.Fatalf("%s: sigmoidBCE c=%d: p, dz [%d] = %v, %v; scalar %v, %v", name, c, i, z[i], dz[i], zs[i], dzs[i])
			}
		}
	}
	// A NaN logit (a model that diverged) makes the loss and its p NaN,
	// which is how the trainer sees it.
	{
		z, bias, y := bceCase(rng, 3*784, 784)
		z[100] = float32(math.NaN())
		if loss := v.SigmoidBCE(z, bias, y, make([]float32, len(z)), 1); !math.IsNaN(loss) || !math.IsNaN(float64(z[100])) {
			t.Errorf("%s: sigmoidBCE of a NaN: loss %v, p %v", name, loss, z[100])
		}
	}
	for _, c := range []int{1, 2, 4, 16} {
		m := randSlice(rng, 103*c)
		want, got := randSlice(rng, c), make([]float32, c)
		copy(got, want)
		addColumnSums(want, m)
		v.ColSums(got, m)
		for j := range got {
			if math.Abs(float64(got[j]-want[j])) > 1e-5 {
				t.Errorf("%s: colSums c=%d: %v, want %v", name, c, got[j], want[j])
			}
		}
	}
	// The fused sigmoid gradient and the pixel conversion: equal values.
	{
		p, y := randSlice(rng, 1003), randSlice(rng, 1003)
		want, got := make([]float32, 1003), make([]float32, 1003)
		BCE{}.sigmoidGrad(p, y, want, 0.37)
		v.SigmoidBCEGrad(p, y, got, 0.37)
		if !nntest.Equal(got, want) {
			t.Errorf("%s: scaledDiff differs", name)
		}
		px := nntest.Blobs(3, 28, 9).Pixels[:2003]
		want, got = make([]float32, len(px)), make([]float32, len(px))
		toFloat(want, px)
		v.ToFloat(got, px)
		if !nntest.Equal(got, want) {
			t.Errorf("%s: toFloat differs", name)
		}
	}
	// Adam's update takes exactly the portable step.
	{
		n := 1003
		w1 := randSlice(rng, n)
		w2 := append([]float32(nil), w1...)
		m1, v1, m2, v2 := make([]float32, n), make([]float32, n), make([]float32, n), make([]float32, n)
		for step := 0; step < 3; step++ {
			g := randSlice(rng, n)
			adamStep(w1, g, m1, v1, 0.1, 0.001, 0.01, 1e-7)
			v.Adam(w2, g, m2, v2, 0.1, 0.001, 0.01, 1e-7)
		}
		if !nntest.Equal(w1, w2) || !nntest.Equal(m1, m2) || !nntest.Equal(v1, v2) {
			t.Errorf("%s: Adam differs from the portable step", name)
		}
		d1, d2 := randSlice(rng, n), randSlice(rng, n)
		want := append([]float32(nil), d1...)
		add(want, d2)
		v.Add(d1, d2)
		if !nntest.Equal(d1, want) {
			t.Errorf("%s: vector gradient sum differs", name)
		}
		if !v.Finite(d1) {
			t.Errorf("%s: finite values reported as not finite", name)
		}
		for _, bad := range []float32{float32(math.NaN()), float32(math.Inf(-1))} {
			d1[n-1], d1[5] = 0, 0
			d1[5] = bad
			if v.Finite(d1) {
				t.Errorf("%s: %v not seen", name, bad)
			}
			d1[5], d1[n-1] = 0, bad // in the scalar tail
			if v.Finite(d1) {
				t.Errorf("%s: %v in the tail not seen", name, bad)
			}
		}
	}
	// Pooling and upsampling layers, run through a workspace with this
	// kernel and one without vector loops: the same outputs and
	// gradients, ties (ReLU's zeros) routed to the same input.
	for _, lc := range []struct {
		l  func() Layer
		in Shape
	}{
		{func() Layer { return MaxPool2D(2, Same) }, Shape{7, 7, 8}},
		{func() Layer { return MaxPool2D(2, Same) }, Shape{6, 5, 16}},
		{func() Layer { return MaxPool2D(2, Valid) }, Shape{7, 5, 8}},
		{func() Layer { return MaxPool2D(2, Same) }, Shape{28, 28, 32}},
		{func() Layer { return MaxPool2D(2, Valid) }, Shape{6, 5, 4}},
		{func() Layer { return MaxPool2D(3, Same) }, Shape{5, 5, 4}},
		{func() Layer { return UpSampling2D(2) }, Shape{3, 4, 8}},
		{func() Layer { return UpSampling2D(2) }, Shape{7, 7, 32}},
		{func() Layer { return UpSampling2D(2) }, Shape{2, 3, 12}},
		{func() Layer { return UpSampling2D(3) }, Shape{2, 2, 4}},
	} {
		const n = 3
		x := randSlice(rng, n*lc.in.Size())
		for i := range x {
			if i%3 == 0 {
				x[i] = 0
			}
		}
		var outs [2][]float32
		var dxs [2][]float32
		for pass, k := range []Kernel{newK(), NewGoKernel()} {
			m, err := NewModel("p", lc.in, -1, lc.l())
			if err != nil {
				t.Fatal(err)
			}
			l := m.Layers[0]
			ws := &Workspace{Kernel: k}
			y := make([]float32, n*l.OutputShape().Size())
			l.Forward(ws, x, y, n)
			dy := make([]float32, len(y))
			for i := range dy {
				dy[i] = float32(i%7) - 3
			}
			dx := randSlice(rng, len(x)) // garbage: must be overwritten
			l.Backward(ws, x, y, dy, dx, nil, n)
			outs[pass], dxs[pass] = y, dx
		}
		if !nntest.Equal(outs[0], outs[1]) || !nntest.Equal(dxs[0], dxs[1]) {
			t.Errorf("%s: %s on %v differs from the scalar code", name, lc.l().Type(), lc.in)
		}
	}
	// Direct convolutions over windows the vector loops take (3×3, stride
	// 1, one channel in or out; rows of 1 to 7 pixels and more) and some
	// they leave to the portable code: the same sums, to rounding. Conv
	// overwrites dst (garbage before) and nothing past it; ConvFilterGrad
	// adds into dw.
	for _, g := range []struct{ h, w, c, cout, k int }{{28, 28, 1, 16, 3}, {5, 7, 1, 32, 3}, {3, 2, 1, 8, 3}, {28, 28, 16, 1, 3}, {6, 5, 32, 1, 3}, {4, 1, 8, 1, 3}, {5, 5, 2, 3, 3}, {6, 6, 1, 8, 5}} {
		for _, pad := range []Padding{Same, Valid} {
			oh, pt, ok1 := outSize(g.h, g.k, 1, pad)
			ow, pl, ok2 := outSize(g.w, g.k, 1, pad)
			if !ok1 || !ok2 {
				continue
			}
			w := Window{H: g.h, W: g.w, C: g.c, OH: oh, OW: ow, KH: g.k, KW: g.k, Stride: 1, PadT: pt, PadL: pl}
			src, kern := randSlice(rng, g.h*g.w*g.c), randSlice(rng, g.k*g.k*g.c*g.cout)
			want := make([]float32, oh*ow*g.cout)
			buf := randSlice(rng, len(want)+8)
			guard := append([]float32(nil), buf[len(want):]...)
			got := buf[:len(want)]
			conv(src, w, kern, want)
			v.Conv(src, w, kern, got)
			what := fmt.Sprintf("%s: conv %+v %v", name, g, pad)
			closeTo(t, what, got, want, 1e-6)
			if !nntest.Equal(buf[len(want):], guard) {
				t.Errorf("%s wrote past its output", what)
			}
			dz := randSlice(rng, len(want))
			dwWant := randSlice(rng, len(kern))
			dwGot := append([]float32(nil), dwWant...)
			convFilterGrad(src, w, dz, dwWant)
			v.ConvFilterGrad(src, w, dz, dwGot)
			closeTo(t, what+" filter gradient", dwGot, dwWant, 1e-5) // sums over every pixel
		}
	}
	// im2col over every kind of window: padded, strided, valid, odd sizes.
	for _, g := range []struct{ h, w, c, k, stride int }{{7, 7, 8, 3, 2}, {5, 6, 1, 3, 1}, {4, 4, 3, 3, 2}, {6, 5, 16, 3, 1}, {3, 3, 2, 5, 1}, {28, 28, 1, 3, 1}, {3, 3, 1, 3, 1}, {2, 7, 1, 3, 1}} {
		for _, pad := range []Padding{Same, Valid} {
			oh, pt, ok1 := outSize(g.h, g.k, g.stride, pad)
			ow, pl, ok2 := outSize(g.w, g.k, g.stride, pad)
			if !ok1 || !ok2 {
				continue
			}
			src := randSlice(rng, g.h*g.w*g.c)
			want := make([]float32, oh*ow*g.k*g.k*g.c)
			// Garbage: every value must be written. The guard past the
			// end must not be (the kernel copies whole vectors that run
			// past a patch row's end, but never past the last).
			buf := randSlice(rng, len(want)+8)
			guard := append([]float32(nil), buf[len(want):]...)
			got := buf[:len(want)]
			w := Window{H: g.h, W: g.w, C: g.c, OH: oh, OW: ow, KH: g.k, KW: g.k, Stride: g.stride, PadT: pt, PadL: pl}
			patches(src, w, want)
			v.Patches(src, w, got)
			if !nntest.Equal(got, want) {
				t.Errorf("%s: patches %+v %v differ", name, g, pad)
			}
			if !nntest.Equal(buf[len(want):], guard) {
				t.Errorf("%s: patches %+v %v wrote past its output", name, g, pad)
			}
		}
	}
}
