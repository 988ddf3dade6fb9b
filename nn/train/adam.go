package train

import (
	"aeplay/nn"
	"math"
)

// Adam is Keras' Adam optimizer. Its step is
//
//	m = b1*m + (1-b1)*g
//	v = b2*v + (1-b2)*g²
//	w -= lr * sqrt(1-b2^t)/(1-b1^t) * m / (sqrt(v) + eps)
//
// with epsilon added to the uncorrected second moment, as Keras and
// TensorFlow do (not to the bias-corrected one, as the paper writes it).
type Adam struct {
	LR, Beta1, Beta2, Epsilon float32
	t                         int
	m, v                      [][]float32
	k                         nn.Kernel
}

// NewAdam returns Adam with Keras' defaults (beta1 0.9, beta2 0.999,
// epsilon 1e-7) and the given learning rate (Keras' default is 0.001),
// stepping with kernel k.
func NewAdam(lr float32, k nn.Kernel) *Adam {
	return &Adam{LR: lr, Beta1: 0.9, Beta2: 0.999, Epsilon: 1e-7, k: k}
}

// Step applies one update to params using grads (ordered like params).
func (a *Adam) Step(params []*nn.Param, grads [][]float32) {
	if a.m == nil {
		a.init(params)
	}
	a.t++
	t := float64(a.t)
	// TensorFlow computes the powers in the variables' precision.
	b1t := float32(math.Pow(float64(a.Beta1), t))
	b2t := float32(math.Pow(float64(a.Beta2), t))
	alpha := a.LR * float32(math.Sqrt(float64(1-b2t))) / (1 - b1t)
	for i, p := range params {
		a.k.Adam(p.Value, grads[i][:len(p.Value)], a.m[i], a.v[i], 1-a.Beta1, 1-a.Beta2, alpha, a.Epsilon)
	}
}

// init makes the moments, zero, for params.
func (a *Adam) init(params []*nn.Param) {
	a.m = make([][]float32, len(params))
	a.v = make([][]float32, len(params))
	for i, p := range params {
		a.m[i] = make([]float32, p.Size())
		a.v[i] = make([]float32, p.Size())
	}
}
