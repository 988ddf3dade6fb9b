package train

import (
	"aeplay/nn"
	"aeplay/nn/catalog"
	"aeplay/nn/internal/nntest"
	"fmt"
	"runtime"
	"testing"
)

// kernels are every kernel the platform has (nn.Kernels), by name.
func kernels() map[string]func() nn.Kernel {
	ks := map[string]func() nn.Kernel{}
	for _, newK := range nn.Kernels() {
		ks[newK().Name()] = newK
	}
	return ks
}

// BenchmarkTrainStep measures one training step (batch 256, Adam, BCE) of
// each seed model with every core, and reports samples/s and GFLOP/s.
func BenchmarkTrainStep(b *testing.B) {
	for _, name := range catalog.SeedNames() {
		for kname, newK := range kernels() {
			b.Run(name+"/"+kname, func(b *testing.B) {
				benchTrain(b, name, runtime.GOMAXPROCS(0), newK)
			})
		}
	}
}

// BenchmarkTrainStep1 is the same on one core.
func BenchmarkTrainStep1(b *testing.B) {
	for _, name := range catalog.SeedNames() {
		b.Run(name, func(b *testing.B) { benchTrain(b, name, 1, nn.NewKernel) })
	}
}

// im2colKernel is a kernel with Winograd turned off, its other choices
// kept: the engine as it was before Winograd, for comparison.
type im2colKernel struct{ nn.Kernel }

func (k im2colKernel) Tuning() nn.Tuning {
	t := k.Kernel.Tuning()
	t.WinogradFwd, t.WinogradBwd = 0, 0
	return t
}

// BenchmarkTrainStepWinograd is BenchmarkTrainStep with the platform's
// kernel as tuned and with Winograd off, side by side.
func BenchmarkTrainStepWinograd(b *testing.B) {
	for _, name := range catalog.SeedNames() {
		b.Run(name+"/tuned", func(b *testing.B) { benchTrain(b, name, runtime.GOMAXPROCS(0), nn.NewKernel) })
		b.Run(name+"/im2col", func(b *testing.B) {
			benchTrain(b, name, runtime.GOMAXPROCS(0), func() nn.Kernel { return im2colKernel{nn.NewKernel()} })
		})
	}
}

// wholeKernel is a kernel whose Runners take a batch whole (Tuning.Chunks
// off), its other choices kept.
type wholeKernel struct{ nn.Kernel }

func (k wholeKernel) Tuning() nn.Tuning {
	t := k.Kernel.Tuning()
	t.Chunks = false
	return t
}

// BenchmarkTrainStepChunks is BenchmarkTrainStep1 with the platform's
// kernel as tuned and with batches taken whole, side by side.
func BenchmarkTrainStepChunks(b *testing.B) {
	for _, name := range catalog.SeedNames() {
		b.Run(name+"/tuned", func(b *testing.B) { benchTrain(b, name, 1, nn.NewKernel) })
		b.Run(name+"/whole", func(b *testing.B) {
			benchTrain(b, name, 1, func() nn.Kernel { return wholeKernel{nn.NewKernel()} })
		})
	}
}

func benchTrain(b *testing.B, name string, workers int, newK func() nn.Kernel) {
	m, err := catalog.New(name)
	if err != nil {
		b.Fatal(err)
	}
	m.Init(1)
	im := nntest.Blobs(2048, 28, 1)
	e, _ := catalog.Lookup(name)
	tr, err := New(m, Dataset{Images: im, Noise: e.Noise}, Dataset{}, Config{Epochs: 1 << 30, BatchSize: 256, Workers: workers, NewKernel: newK})
	if err != nil {
		b.Fatal(err)
	}
	defer tr.Close()
	tr.Step()
	b.ReportAllocs()
	c0, cpuOK := nntest.ThreadCPU()
	for b.Loop() {
		if _, _, err := tr.Step(); err != nil {
			b.Fatal(err)
		}
	}
	sps := 256 * float64(b.N) / b.Elapsed().Seconds()
	b.ReportMetric(sps, "samples/s")
	// The thread's CPU time (where the platform tells: see nntest.ThreadCPU)
	// is steadier than the wall clock on a shared machine.
	if c1, ok := nntest.ThreadCPU(); cpuOK && ok {
		b.ReportMetric(256*float64(b.N)/(float64(c1-c0)/1e9), "cpu-samples/s")
	}
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
		for kname, newK := range kernels() {
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
