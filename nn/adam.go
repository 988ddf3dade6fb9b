package nn

import "math"

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
	vec                       vectorOps // a kernel's vector loops, if any: the same results, faster
}

// NewAdam returns Adam with Keras' defaults (beta1 0.9, beta2 0.999,
// epsilon 1e-7) and the given learning rate (Keras' default is 0.001).
func NewAdam(lr float32) *Adam {
	return &Adam{LR: lr, Beta1: 0.9, Beta2: 0.999, Epsilon: 1e-7}
}

// Steps is how many updates have been applied.
func (a *Adam) Steps() int { return a.t }

// Step applies one update to params using grads (ordered like params).
func (a *Adam) Step(params []*Param, grads [][]float32) {
	if a.m == nil {
		a.m = make([][]float32, len(params))
		a.v = make([][]float32, len(params))
		for i, p := range params {
			a.m[i] = make([]float32, p.Size())
			a.v[i] = make([]float32, p.Size())
		}
	}
	a.t++
	t := float64(a.t)
	// TensorFlow computes the powers in the variables' precision.
	b1t := float32(math.Pow(float64(a.Beta1), t))
	b2t := float32(math.Pow(float64(a.Beta2), t))
	alpha := a.LR * float32(math.Sqrt(float64(1-b2t))) / (1 - b1t)
	b1, b2, eps := a.Beta1, a.Beta2, a.Epsilon
	for i, p := range params {
		w, g, m, v := p.Value, grads[i][:len(p.Value)], a.m[i][:len(p.Value)], a.v[i][:len(p.Value)]
		if a.vec != nil {
			n := len(w) - len(w)%4
			if n > 0 && a.vec.adam(w[:n], g[:n], m[:n], v[:n], 1-b1, 1-b2, alpha, eps) {
				w, g, m, v = w[n:], g[n:], m[n:], v[n:]
			}
		}
		for j, gj := range g {
			mj := m[j] + (gj-m[j])*(1-b1)
			vj := v[j] + (gj*gj-v[j])*(1-b2)
			m[j], v[j] = mj, vj
			w[j] -= alpha * mj / (float32(math.Sqrt(float64(vj))) + eps)
		}
	}
}
