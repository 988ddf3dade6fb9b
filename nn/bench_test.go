package nn

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"testing"
)

// BenchmarkTrainStep measures one training step (batch 256, Adam, BCE) of
// each seed model with every core, and reports samples/s and GFLOP/s.
func BenchmarkTrainStep(b *testing.B) {
	for _, name := range SeedModels {
		for kname, newK := range kernelsUnderTest() {
			b.Run(name+"/"+kname, func(b *testing.B) {
				benchTrain(b, name, runtime.GOMAXPROCS(0), newK)
			})
		}
	}
}

// BenchmarkTrainStep1 is the same on one core.
func BenchmarkTrainStep1(b *testing.B) {
	for _, name := range SeedModels {
		b.Run(name, func(b *testing.B) { benchTrain(b, name, 1, NewKernel) })
	}
}

func benchTrain(b *testing.B, name string, workers int, newK func() Kernel) {
	m, err := NewSeedModel(name)
	if err != nil {
		b.Fatal(err)
	}
	m.Init(1)
	im := blobs(2048, 28, 1)
	noise := float32(0)
	if name == "denoise" {
		noise = 0.5
	}
	tr, err := NewTrainer(m, Dataset{Images: im, Noise: noise}, Dataset{}, TrainConfig{Epochs: 1 << 30, BatchSize: 256, Workers: workers, NewKernel: newK})
	if err != nil {
		b.Fatal(err)
	}
	defer tr.Close()
	tr.Step()
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := tr.Step(); err != nil {
			b.Fatal(err)
		}
	}
	sps := 256 * float64(b.N) / b.Elapsed().Seconds()
	b.ReportMetric(sps, "samples/s")
	// Training is about three forward passes, of two FLOP a multiply-add.
	b.ReportMetric(sps*float64(m.MACs())*6/1e9, "GFLOP/s")
	b.ReportMetric(0, "ns/op")
}

// BenchmarkGemm measures the kernels on the shapes the seed models make.
func BenchmarkGemm(b *testing.B) {
	shapes := []struct {
		name    string
		tA, tB  bool
		m, n, k int
	}{
		{"denoise-fwd", false, false, 784, 32, 288},
		{"denoise-dW", true, false, 288, 32, 784},
		{"denoise-dx", false, true, 784, 288, 32},
		{"conv-fwd-c8", false, false, 8 * 196, 8, 144},
		{"dense-784x128", false, false, 128, 128, 784},
		{"dense-out", false, false, 128, 784, 32},
	}
	for _, s := range shapes {
		for kname, newK := range kernelsUnderTest() {
			b.Run(fmt.Sprintf("%s/%s", s.name, kname), func(b *testing.B) {
				k := newK()
				lda, ldb := s.k, s.n
				if s.tA {
					lda = s.m
				}
				if s.tB {
					ldb = s.k
				}
				a := make([]float32, s.m*s.k)
				bb := make([]float32, s.k*s.n)
				c := make([]float32, s.m*s.n)
				for b.Loop() {
					k.Gemm(s.tA, s.tB, s.m, s.n, s.k, 1, a, lda, bb, ldb, 0, c, s.n)
				}
				b.ReportMetric(2*float64(s.m*s.n*s.k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
			})
		}
	}
}

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
