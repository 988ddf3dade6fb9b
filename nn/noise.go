package nn

import (
	"math"
	"math/rand/v2"
)

// AddNoise writes clip(x + sigma*N(0,1), 0, 1) into dst, where x is the
// image's pixels scaled to [0, 1]: the noisy input of the denoising
// experiment. The noise of image index under seed is always the same
// whatever order, batch or worker asks for it (it comes from a PCG seeded
// with seed and index), so a noisy data set need not be stored: the
// post's x_train_noisy is fixed once, and so is ours.
func AddNoise(dst []float32, pixels []uint8, sigma float32, seed uint64, index int) {
	if sigma == 0 {
		toFloat(dst, pixels)
		return
	}
	var pcg rand.PCG
	pcg.Seed(seed, uint64(index))
	for i := 0; i < len(pixels); i += 2 {
		n0, n1 := normalPair(&pcg)
		dst[i] = clamp01(float32(pixels[i])/255 + sigma*n0)
		if i+1 < len(pixels) {
			dst[i+1] = clamp01(float32(pixels[i+1])/255 + sigma*n1)
		}
	}
}

// NoiseKind is how a denoiser's input is corrupted.
type NoiseKind uint8

const (
	// Gaussian adds σ·N(0, 1) to each pixel and clips to [0, 1], as the
	// Keras post does.
	Gaussian NoiseKind = iota
	// Masking sets each pixel to 0 with probability p, as ConvNetJS's
	// denoiser does (the "masking noise" of Vincent et al., 2008).
	Masking
)

// Corrupt writes the input of image index corrupted by noise of the kind
// at level (σ or p) into dst, reproducibly: like AddNoise, a PCG seeded
// with seed and index makes it.
func Corrupt(dst []float32, pixels []uint8, kind NoiseKind, level float32, seed uint64, index int) {
	if kind != Masking || level == 0 {
		AddNoise(dst, pixels, level, seed, index)
		return
	}
	var pcg rand.PCG
	pcg.Seed(seed, uint64(index))
	for i, p := range pixels {
		u := float32(pcg.Uint64()>>40) / (1 << 24) // in [0, 1)
		if u < level {
			dst[i] = 0
		} else {
			dst[i] = float32(p) / 255
		}
	}
}

// normalPair draws two independent standard normal values (Box-Muller).
func normalPair(p *rand.PCG) (float32, float32) {
	u1 := (float64(p.Uint64()>>11) + 0.5) / (1 << 53) // in (0, 1): log never sees 0
	u2 := float64(p.Uint64()>>11) / (1 << 53)
	r := math.Sqrt(-2 * math.Log(u1))
	s, c := math.Sincos(2 * math.Pi * u2)
	return float32(r * c), float32(r * s)
}

func clamp01(v float32) float32 { return min(max(v, 0), 1) }

// toFloat converts bytes to floats in [0, 1] (x / 255, as the post does).
func toFloat(dst []float32, pixels []uint8) {
	dst = dst[:len(pixels)]
	for i, p := range pixels {
		dst[i] = float32(p) / 255
	}
}
