package train

import (
	"fmt"
	"math"

	"aeplay/nn"
)

// Config is what Keras' compile and fit take, plus how to spread the
// work.
type Config struct {
	Epochs    int
	BatchSize int     // Keras' default is 32; the post uses 256
	LR        float32 // Adam's learning rate; 0 means Keras' 0.001
	Loss      nn.Loss // nil means binary cross-entropy
	Seed      uint64  // shuffling; weights are seeded by Model.Init
	// Workers is how many goroutines share each batch (data-parallel, each
	// with a replica of the model); 0 means GOMAXPROCS, capped so each has
	// 32 samples.
	Workers int
	// NewKernel makes each worker's kernel; nil means nn.NewKernel.
	NewKernel func() nn.Kernel
	// Shards are replicas elsewhere (web workers) that take a share of
	// every batch, after the local workers' shares.
	Shards []Shard
}

// withDefaults fills in what a zero field means, and checks the rest.
func (c Config) withDefaults() (Config, error) {
	if c.LR == 0 {
		c.LR = 0.001
	}
	if c.LR < 0 || math.IsNaN(float64(c.LR)) || math.IsInf(float64(c.LR), 0) {
		return c, fmt.Errorf("train: learning rate must be a positive number, got %v", c.LR)
	}
	if c.Loss == nil {
		c.Loss = nn.BCE{}
	}
	if c.NewKernel == nil {
		c.NewKernel = nn.NewKernel
	}
	return c, nil
}
