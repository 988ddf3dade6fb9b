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
