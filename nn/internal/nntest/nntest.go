package nntest

import (
	"math/rand/v2"

	"aeplay/nn/encoding/idx"
)

// Blobs makes n side×side images of random filled rectangles: enough
// structure for a tiny autoencoder to learn.
func Blobs(n, side int, seed uint64) *idx.Images {
	rng := rand.New(rand.NewPCG(seed, 1))
	im := &idx.Images{N: n, Rows: side, Cols: side, Pixels: make([]uint8, n*side*side)}
	for i := 0; i < n; i++ {
		px := im.Image(i)
		y0, x0 := rng.IntN(side-2), rng.IntN(side-2)
		y1, x1 := y0+2+rng.IntN(side-y0-1), x0+2+rng.IntN(side-x0-1)
		for y := y0; y < min(y1, side); y++ {
			for x := x0; x < min(x1, side); x++ {
				px[y*side+x] = uint8(128 + rng.IntN(128))
			}
		}
	}
	return im
}

// Floats returns n values uniform in [-1, 1).
func Floats(rng *rand.Rand, n int) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = float32(rng.Float64()*2 - 1)
	}
	return s
}

// Equal reports whether a and b hold the same values, bit for bit but for
// the sign of zero.
func Equal(a, b []float32) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
