package page

import (
	"aeplay/nn/spec"
	"strconv"
)

// noiseKindName is a noise kind as the URL writes it.
func noiseKindName(kind string) string {
	if kind == "" {
		return "gaussian"
	}
	return kind
}

// LevelName is the symbol of a noise kind's level: σ, or p of masking.
func LevelName(kind string) string {
	if kind == spec.MaskNoise {
		return "p"
	}
	return "σ"
}

// NoisyRowTitle names a denoiser's input row with the noise it shows:
// "noisy input (σ 0.5)", "masked input (p 0.3)", the level kept on one
// line (a no-break space) where the label wraps.
func NoisyRowTitle(kind string, level float64) string {
	what := "noisy input"
	if kind == spec.MaskNoise {
		what = "masked input"
	}
	return what + " (" + LevelName(kind) + "\u00a0" + strconv.FormatFloat(level, 'g', 3, 64) + ")"
}
