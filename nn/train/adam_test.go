package train

import (
	"aeplay/nn"
	"math"
	"testing"
)

// TestAdamStep checks two Keras Adam steps against values worked out by
// hand (in float64) from Keras' update rule.
func TestAdamStep(t *testing.T) {
	p := &nn.Param{Name: "w", Shape: []int{1}, Value: []float32{1}}
	opt := NewAdam(0.001, nn.NewGoKernel())
	for i, step := range []struct{ g, want float64 }{{0.5, 0.9990000063245154}, {-0.25, 0.9987336707920792}} {
		opt.Step([]*nn.Param{p}, [][]float32{{float32(step.g)}})
		if d := math.Abs(float64(p.Value[0]) - step.want); d > 2e-7 {
			t.Errorf("step %d: w = %.10f, want %.10f", i+1, p.Value[0], step.want)
		}
	}
}
