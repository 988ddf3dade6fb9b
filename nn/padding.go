package nn

// Padding is Keras' padding= argument for Conv2D and MaxPooling2D.
type Padding uint8

const (
	// Same pads so that out = ceil(in/stride), as TensorFlow does: the total
	// padding is max((out-1)*stride + k - in, 0), and when it is odd the extra
	// pixel goes to the bottom/right.
	Same Padding = iota
	// Valid does not pad: out = ceil((in-k+1)/stride).
	Valid
)

func (p Padding) String() string {
	if p == Valid {
		return "valid"
	}
	return "same"
}

// outSize returns the output length of a window of size k moved with the
// given stride over in positions, and the padding before the first position.
// ok is false when a 'valid' window does not fit.
func outSize(in, k, stride int, p Padding) (out, before int, ok bool) {
	if p == Same {
		out = (in + stride - 1) / stride
		total := max((out-1)*stride+k-in, 0)
		return out, total / 2, true
	}
	if in < k {
		return 0, 0, false
	}
	return (in-k)/stride + 1, 0, true
}

// OutSize is the output length of a window of size k moved with the given
// stride over in positions, as Conv2D and MaxPooling2D compute it; ok is
// false when a 'valid' window does not fit. Model specs check shapes with
// it before anything is allocated.
func OutSize(in, k, stride int, p Padding) (out int, ok bool) {
	out, _, ok = outSize(in, k, stride, p)
	return out, ok
}
