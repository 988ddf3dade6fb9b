package nn

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// BenchmarkSigmoidBCE measures the output layer's one pass (sigmoid, loss,
// gradient) over a batch of 256 MNIST-sized outputs, with each kernel.
func BenchmarkSigmoidBCE(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	z0, bias, y := bceCase(rng, 256*784, 784)
	z, dz := make([]float32, len(z0)), make([]float32, len(z0))
	for kname, newK := range kernelsUnderTest() {
		b.Run(kname, func(b *testing.B) {
			k := newK()
			for b.Loop() {
				copy(z, z0)
				k.SigmoidBCE(z, bias, y, dz, 1)
			}
			b.ReportMetric(float64(len(z))*float64(b.N)/b.Elapsed().Seconds()/1e6, "Mvalues/s")
		})
		b.Run(kname+"/sigmoid", func(b *testing.B) {
			k := newK()
			for b.Loop() {
				copy(z, z0)
				k.BiasAct(Sigmoid, z, bias)
			}
			b.ReportMetric(float64(len(z))*float64(b.N)/b.Elapsed().Seconds()/1e6, "Mvalues/s")
		})
		b.Run(kname+"/copy", func(b *testing.B) {
			for b.Loop() {
				copy(z, z0)
			}
			b.ReportMetric(float64(len(z))*float64(b.N)/b.Elapsed().Seconds()/1e6, "Mvalues/s")
		})
	}
}

// BenchmarkPatches measures im2col for the conv model's layers (3×3, same
// padding): one channel at 28×28 (the first layer, and the last layer's
// gradient), 16 at 14×14, 8 at 16×16.
func BenchmarkPatches(b *testing.B) {
	for _, g := range []struct{ h, c int }{{28, 1}, {14, 16}, {16, 8}} {
		for kname, newK := range kernelsUnderTest() {
			b.Run(fmt.Sprintf("%dx%dx%d/%s", g.h, g.h, g.c, kname), func(b *testing.B) {
				k := newK()
				src := make([]float32, g.h*g.h*g.c)
				col := make([]float32, g.h*g.h*9*g.c)
				w := Window{H: g.h, W: g.h, C: g.c, OH: g.h, OW: g.h, KH: 3, KW: 3, Stride: 1, PadT: 1, PadL: 1}
				for b.Loop() {
					k.Patches(src, w, col)
				}
				b.ReportMetric(float64(len(col))*float64(b.N)/b.Elapsed().Seconds()/1e9, "Gfloats/s")
			})
		}
	}
}

// BenchmarkMaxPool measures the conv model's two whole-window poolings
// (2×2, 28×28×16 and 14×14×8) forward over a batch of 256, with each
// kernel.
func BenchmarkMaxPool(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, in := range []Shape{{28, 28, 16}, {14, 14, 8}} {
		const n = 256
		m, err := NewModel("p", in, -1, MaxPool2D(2, Same))
		if err != nil {
			b.Fatal(err)
		}
		l := m.Layers[0]
		x := randSlice(rng, n*in.Size())
		y := make([]float32, n*l.OutputShape().Size())
		for kname, newK := range kernelsUnderTest() {
			b.Run(fmt.Sprintf("%dx%dx%d/%s", in[0], in[1], in[2], kname), func(b *testing.B) {
				ws := &Workspace{Kernel: newK()}
				for b.Loop() {
					l.Forward(ws, x, y, n)
				}
				b.ReportMetric(float64(len(x))*float64(b.N)/b.Elapsed().Seconds()/1e9, "Gfloats/s")
			})
		}
	}
}

// base gives the benchmarks the GoKernel inside a kernel.
func (g *GoKernel) base() *GoKernel { return g }

// BenchmarkMicroKernels measures each GEMM micro-kernel of each kernel
// alone, on a product of whole tiles: a shape's cost (see
// GoKernel.shape) is about nr over its GFLOP/s.
func BenchmarkMicroKernels(b *testing.B) {
	const m, k = 768, 256 // m a multiple of every mr
	for kname, newK := range kernelsUnderTest() {
		g, ok := newK().(interface{ base() *GoKernel })
		if !ok {
			continue
		}
		for _, s := range g.base().shapes {
			b.Run(fmt.Sprintf("%s/%dx%d", kname, s.mr, s.nr), func(b *testing.B) {
				one := &GoKernel{name: "one", shapes: []microShape{s}, dot: dotGo, axpy: axpyGo}
				n := 8 * s.nr
				a, bb, c := make([]float32, m*k), make([]float32, k*n), make([]float32, m*n)
				for b.Loop() {
					one.Gemm(false, false, m, n, k, 1, a, k, bb, n, 0, c, n)
				}
				b.ReportMetric(2*float64(m*n*k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
			})
		}
	}
}
