package train

import (
	"aeplay/nn"
	"aeplay/nn/encoding/idx"
	"fmt"
)

// Dataset pairs inputs with targets for an autoencoder: the target is the
// image and the input is the same image, plus Gaussian noise when Noise > 0
// (the denoising experiment), made on the fly by nn.AddNoise.
type Dataset struct {
	Images    *idx.Images
	Noise     float32 // σ of the input noise (p of masking); 0 for none
	NoiseKind nn.NoiseKind
	NoiseSeed uint64
}

// Len is the number of samples.
func (d Dataset) Len() int {
	if d.Images == nil {
		return 0
	}
	return d.Images.N
}

// Fill writes the inputs and targets of samples idx into x and y (each
// len(idx)*pixels floats); either may be nil.
func (d Dataset) Fill(idx []int, x, y []float32) { d.fill(idx, x, y, nn.NewGoKernel()) }

// fill is Fill converting pixels with kernel k. Without noise the input is
// the target: converted once, copied once.
func (d Dataset) fill(idx []int, x, y []float32, k nn.Kernel) {
	size := d.Images.Size()
	for j, i := range idx {
		px := d.Images.Image(i)
		var yj []float32
		if y != nil {
			yj = y[j*size : (j+1)*size]
			k.ToFloat(yj, px)
		}
		if x != nil {
			xj := x[j*size : (j+1)*size]
			switch {
			case d.Noise == 0 && yj != nil:
				copy(xj, yj)
			case d.Noise == 0:
				k.ToFloat(xj, px)
			default:
				nn.Corrupt(xj, px, d.NoiseKind, d.Noise, d.NoiseSeed, i)
			}
		}
	}
}

// Inputs returns the (noisy) inputs of samples idx as a new slice.
func (d Dataset) Inputs(idx []int) []float32 {
	x := make([]float32, len(idx)*d.Images.Size())
	d.Fill(idx, x, nil)
	return x
}

// check reports whether the data fits a model's input and output.
func (d Dataset) check(m *nn.Model, what string) error {
	if d.Images == nil || d.Images.N == 0 {
		return fmt.Errorf("nn: the %s set is empty", what)
	}
	if d.Images.Size() != m.Input.Size() || m.Output().Size() != m.Input.Size() {
		return fmt.Errorf("nn: %s images of %dx%d pixels do not fit model %s (input %v, output %v)",
			what, d.Images.Rows, d.Images.Cols, m.Name, m.Input, m.Output())
	}
	if d.Noise < 0 || d.NoiseKind == nn.Masking && d.Noise > 1 {
		return fmt.Errorf("nn: noise level %v out of range", d.Noise)
	}
	return nil
}
