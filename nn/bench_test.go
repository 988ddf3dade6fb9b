package nn

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"testing"
)

// Training FLOP per image (forward multiply-adds × 2 × 3 for forward plus
// backward), from DESIGN.md's table of forward MACs.
var seedMACs = map[string]float64{"simple": 50176, "deep": 221184, "conv": 732672, "denoise": 4515840}

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
	b.ReportMetric(sps*seedMACs[name]*6/1e9, "GFLOP/s")
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
			ws := &Workspace{Kernel: newK()}
			for b.Loop() {
				copy(z, z0)
				ws.fuse = &fusedLoss{y: y, dz: dz, scale: 1}
				ws.biasAct(Sigmoid, z, bias)
			}
			b.ReportMetric(float64(len(z))*float64(b.N)/b.Elapsed().Seconds()/1e6, "Mvalues/s")
		})
		b.Run(kname+"/sigmoid", func(b *testing.B) {
			ws := &Workspace{Kernel: newK()}
			for b.Loop() {
				copy(z, z0)
				ws.biasAct(Sigmoid, z, bias)
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
				ws := &Workspace{Kernel: newK()}
				src := make([]float32, g.h*g.h*g.c)
				col := make([]float32, g.h*g.h*9*g.c)
				for b.Loop() {
					ws.patches(src, g.h, g.h, g.c, g.h, g.h, 3, 3, 1, 1, 1, col)
				}
				b.ReportMetric(float64(len(col))*float64(b.N)/b.Elapsed().Seconds()/1e9, "Gfloats/s")
			})
		}
	}
}
