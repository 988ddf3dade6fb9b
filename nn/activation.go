package nn

import (
	"fmt"
	"math"
)

// ReLU's forward and backward are written without branches: which units
// are active is close to random, and mispredicted branches cost more than
// the arithmetic.

// relu returns max(v, 0) (a NaN stays NaN) by clearing v when its sign bit is set.
func relu(v float32) float32 {
	b := math.Float32bits(v)
	return math.Float32frombits(b &^ uint32(int32(b)>>31))
}

// positive returns all ones when y, a ReLU output (never negative), is
// above zero, and zero otherwise.
func positive(y float32) uint32 {
	return uint32(-int32(math.Float32bits(y)) >> 31)
}

// Activation is the nonlinearity a Dense or Conv2D layer applies to its output,
// as Keras' activation= argument.
type Activation uint8

// The activations the seed models use.
const (
	Linear Activation = iota
	ReLU
	Sigmoid
)

func (a Activation) String() string {
	switch a {
	case Linear:
		return "linear"
	case ReLU:
		return "relu"
	case Sigmoid:
		return "sigmoid"
	}
	return fmt.Sprintf("Activation(%d)", uint8(a))
}

// biasAct adds bias (one value per channel, the fastest-varying dimension) to
// every row of y and applies the activation in place.
func biasAct(a Activation, y, bias []float32) {
	c := len(bias)
	switch a {
	case ReLU:
		for i := 0; i+c <= len(y); i += c {
			row := y[i : i+c]
			for j, b := range bias {
				row[j] = relu(row[j] + b)
			}
		}
	case Sigmoid:
		for i := 0; i+c <= len(y); i += c {
			row := y[i : i+c]
			for j, b := range bias {
				row[j] = sigmoidf(row[j] + b)
			}
		}
	default:
		for i := 0; i+c <= len(y); i += c {
			row := y[i : i+c]
			for j, b := range bias {
				row[j] += b
			}
		}
	}
}

// actGrad turns dy, the gradient with respect to a layer's activated output
// y, into the gradient with respect to its pre-activation, in place. Both
// derivatives are functions of the output alone, so layers need not keep
// their pre-activations.
func actGrad(a Activation, y, dy []float32) {
	y = y[:len(dy)]
	switch a {
	case ReLU:
		for i, v := range y {
			dy[i] = math.Float32frombits(math.Float32bits(dy[i]) & positive(v))
		}
	case Sigmoid:
		for i, v := range y {
			dy[i] *= v * (1 - v)
		}
	}
}
