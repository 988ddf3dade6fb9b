package page

import (
	"image"
	"math"
	"math/rand/v2"

	"aeplay/nn/spec"
	"aeplay/nn/viz"
)

// Samples reports whether a spec draws its code (a variational
// autoencoder): its decoder then makes digits from codes drawn from
// N(0, I), and the Generate panel shows them.
func Samples(s spec.Spec) bool {
	for _, l := range s.Layers {
		if l.Kind == spec.Sampling {
			return true
		}
	}
	return false
}

// The manifold's spacings: Gaussian quantiles, as the VAE paper and the
// Keras post lay the grid out (each row and column an equal share of
// N(0, 1)'s mass, so the grid covers where codes are dense), or even
// steps over ±linearRange.
const (
	Quantiles   = "quantiles"
	Linear      = "linear"
	linearRange = 3
)

// Probit is the inverse of the standard normal CDF.
func Probit(p float64) float64 { return math.Sqrt2 * math.Erfinv(2*p-1) }

// ManifoldCodes are the codes of an n×n grid over the plane of a code's
// first two values (the others 0), row by row from the top: x grows to
// the right, y upwards, as a plot's axes do. With Quantiles the steps are
// Φ⁻¹ of 0.05 … 0.95 (the post's norm.ppf(np.linspace(0.05, 0.95, n))).
func ManifoldCodes(n, latent int, spacing string) []float32 {
	at := func(i int) float64 {
		t := 0.5
		if n > 1 {
			t = float64(i) / float64(n-1)
		}
		if spacing == Linear {
			return linearRange * (2*t - 1)
		}
		return Probit(0.05 + 0.9*t)
	}
	codes := make([]float32, n*n*latent)
	for r := 0; r < n; r++ {
		for c := 0; c < n; c++ {
			z := codes[(r*n+c)*latent:]
			z[0] = float32(at(c))
			if latent > 1 {
				z[1] = float32(at(n - 1 - r))
			}
		}
	}
	return codes
}

// SampleCodes are n codes drawn from N(0, I), the prior a variational
// autoencoder's codes are pulled towards: what its decoder makes of them
// are new digits. The same seed draws the same codes.
func SampleCodes(n, latent int, seed uint64) []float32 {
	rng := rand.New(rand.NewPCG(seed, 0x73616d706c65)) // "sample"
	codes := make([]float32, n*latent)
	for i := range codes {
		codes[i] = float32(rng.NormFloat64())
	}
	return codes
}

// Mosaic lays n 28×28 images out cols to a row, touching, as the post's
// figure of the manifold does.
func Mosaic(images []float32, n, cols int) *image.RGBA {
	rows := (n + cols - 1) / cols
	img := image.NewRGBA(image.Rect(0, 0, cols*28, rows*28))
	for i := 0; i < n; i++ {
		blit(img, viz.Digit(images[i*784:(i+1)*784], 28, 28, 1), (i%cols)*28, (i/cols)*28)
	}
	return img
}
