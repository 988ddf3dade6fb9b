package nn

// Loss is a loss averaged over every output element of a batch, as Keras'
// losses are for these models.
type Loss interface {
	Name() string
	// Sum returns the loss summed (not averaged) over the elements of p
	// against targets y, in float64 so that sums over a data set stay exact
	// enough.
	Sum(p, y []float32) float64
	// Grad writes scale * dLoss/dp into dp; scale is 1 / (elements in the
	// whole batch), so that shards of one batch add up to the batch's mean.
	Grad(p, y, dp []float32, scale float32)
}

// bceEps is Keras' epsilon: probabilities are clipped to [eps, 1-eps].
const bceEps = 1e-7

// BCE is binary cross-entropy, -(y log p + (1-y) log(1-p)), with p clipped
// to [1e-7, 1-1e-7] as Keras does.
type BCE struct{}

func (BCE) Name() string { return "binary_crossentropy" }

func (BCE) Sum(p, y []float32) float64 {
	var s float64
	y = y[:len(p)]
	for i, v := range p {
		v = min(max(v, bceEps), 1-bceEps)
		t := y[i]
		// Most MNIST pixels are exactly 0 or 1: one logarithm instead of two.
		switch t {
		case 0:
			s -= float64(logf(1 - v))
		case 1:
			s -= float64(logf(v))
		default:
			s -= float64(t*logf(v) + (1-t)*logf(1-v))
		}
	}
	return s
}

// Grad is the derivative of the clipped loss; it is zero where p is clipped.
func (BCE) Grad(p, y, dp []float32, scale float32) {
	y = y[:len(p)]
	for i, v := range p {
		if v < bceEps || v > 1-bceEps {
			dp[i] = 0
			continue
		}
		dp[i] = scale * (v - y[i]) / (v * (1 - v))
	}
}

// sigmoidGrad is the gradient of BCE with respect to the logits of a sigmoid
// output, p - y, scaled. It is what Keras effectively differentiates too (its
// backend hands the sigmoid's logits to a stable cross-entropy), and it
// avoids dividing by p(1-p) where p saturates.
func (BCE) sigmoidGrad(p, y, dz []float32, scale float32) {
	y = y[:len(p)]
	for i, v := range p {
		dz[i] = scale * (v - y[i])
	}
}

// The logits where Keras' clipping of p to [1e-7, 1-1e-7] begins:
// logit(1e-7) and logit(1-2^-23) (1-1e-7 rounded to float32).
const (
	bceLogitLo = -16.118095651
	bceLogitHi = 15.942385152
)

// sigmoidBCE is a sigmoid output layer and its loss in one pass, for a
// training step: z (pre-activations, rows of len(bias)) gets its bias and
// becomes p = sigmoid(z), dz = scale·(p - y) (the fused gradient), and the
// binary cross-entropy summed over the values is returned. The loss comes
// from the logit, max(zc, 0) - y·zc + log(1 + exp(-|z|)) with zc the logit
// clamped where Keras clips p, which equals Keras' clipped loss (within
// 1.2e-7 where it clips) but takes one logarithm where p's form takes two,
// and shares the sigmoid's exponential. The WebAssembly kernel runs the
// same formula four values at a time.
func sigmoidBCE(z, bias, y, dz []float32, scale float32) float64 {
	c := len(bias)
	var sum float64
	for i := 0; i+c <= len(z); i += c {
		zr, yr, dr := z[i:i+c], y[i:i+c], dz[i:i+c]
		for j, b := range bias {
			v := zr[j] + b
			e := expf(-abs32(v))
			s := 1 / (1 + e)
			p := s
			if !(v >= 0) {
				p = e * s
			}
			zr[j] = p
			dr[j] = scale * (p - yr[j])
			zc := min(max(v, bceLogitLo), bceLogitHi)
			sum += float64(log1pSmall(e) + max(zc, 0) - yr[j]*zc)
		}
	}
	return sum
}

// MSE is the mean squared error.
type MSE struct{}

func (MSE) Name() string { return "mean_squared_error" }

func (MSE) Sum(p, y []float32) float64 {
	var s float64
	y = y[:len(p)]
	for i, v := range p {
		d := float64(v - y[i])
		s += d * d
	}
	return s
}

func (MSE) Grad(p, y, dp []float32, scale float32) {
	y = y[:len(p)]
	for i, v := range p {
		dp[i] = 2 * scale * (v - y[i])
	}
}
