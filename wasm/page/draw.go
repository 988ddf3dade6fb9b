package page

import "math"

// Preprocess turns a drawing (w×h values in [0, 1], ink bright) into a
// digit the way MNIST's were made: the ink's bounding box scaled to fit a
// 20×20 box (keeping its aspect), placed in 28×28 with its centre of mass
// at the centre, then lightly blurred and scaled so the brightest pixel is
// 1. A blank drawing gives a blank digit.
func Preprocess(px []float32, w, h int) []float32 {
	out := make([]float32, 28*28)
	x0, y0, x1, y1 := w, h, -1, -1
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			if px[y*w+x] > 0.05 {
				x0, y0 = min(x0, x), min(y0, y)
				x1, y1 = max(x1, x), max(y1, y)
			}
		}
	}
	if x1 < 0 {
		return out
	}
	bw, bh := x1-x0+1, y1-y0+1
	s := 20 / float64(max(bw, bh))
	tw, th := max(1, int(math.Round(float64(bw)*s))), max(1, int(math.Round(float64(bh)*s)))
	// Area-average the box into tw×th, 4×4 samples a pixel.
	small := make([]float64, tw*th)
	for ty := 0; ty < th; ty++ {
		for tx := 0; tx < tw; tx++ {
			var sum float64
			for sy := 0; sy < 4; sy++ {
				for sx := 0; sx < 4; sx++ {
					x := x0 + int((float64(tx)+(float64(sx)+0.5)/4)/float64(tw)*float64(bw))
					y := y0 + int((float64(ty)+(float64(sy)+0.5)/4)/float64(th)*float64(bh))
					sum += float64(px[min(y, y1)*w+min(x, x1)])
				}
			}
			small[ty*tw+tx] = sum / 16
		}
	}
	// Centre of mass, and the offset that puts it at (14, 14).
	var mass, mx, my float64
	for y := 0; y < th; y++ {
		for x := 0; x < tw; x++ {
			v := small[y*tw+x]
			mass += v
			mx += v * (float64(x) + 0.5)
			my += v * (float64(y) + 0.5)
		}
	}
	ox, oy := (28-tw)/2, (28-th)/2
	if mass > 0 {
		ox, oy = int(math.Round(14-mx/mass)), int(math.Round(14-my/mass))
	}
	ox, oy = min(max(ox, 0), 28-tw), min(max(oy, 0), 28-th)
	img := make([]float64, 28*28)
	for y := 0; y < th; y++ {
		for x := 0; x < tw; x++ {
			img[(y+oy)*28+x+ox] = small[y*tw+x]
		}
	}
	// A light blur: a third of a 3×3 binomial filter.
	var peak float64
	for y := 0; y < 28; y++ {
		for x := 0; x < 28; x++ {
			var b, wsum float64
			for dy := -1; dy <= 1; dy++ {
				for dx := -1; dx <= 1; dx++ {
					if yy, xx := y+dy, x+dx; yy >= 0 && yy < 28 && xx >= 0 && xx < 28 {
						k := float64((2 - abs(dx)) * (2 - abs(dy)))
						b += k * img[yy*28+xx]
						wsum += k
					}
				}
			}
			v := 2*img[y*28+x]/3 + b/wsum/3
			out[y*28+x] = float32(v)
			peak = math.Max(peak, v)
		}
	}
	if peak > 0 {
		for i := range out {
			out[i] = min(out[i]/float32(peak), 1)
		}
	}
	return out
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// AddNoisePixels adds a noise layer (w×h values in [-1, 1], drawn with the
// noise brush) to a 28×28 digit, averaging it down to 28×28 and clipping
// to [0, 1], as the denoiser's training noise is.
func AddNoisePixels(digit, noise []float32, w, h int) {
	for y := 0; y < 28; y++ {
		for x := 0; x < 28; x++ {
			var sum float32
			n := 0
			for sy := y * h / 28; sy < (y+1)*h/28; sy++ {
				for sx := x * w / 28; sx < (x+1)*w/28; sx++ {
					sum += noise[sy*w+sx]
					n++
				}
			}
			if n > 0 {
				digit[y*28+x] = min(max(digit[y*28+x]+sum/float32(n), 0), 1)
			}
		}
	}
}
