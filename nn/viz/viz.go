package viz

import (
	"image"
	"image/color"
	"math"
)

// Digit renders a greyscale image (values in [0, 1], row-major, w×h) as
// MNIST shows it, white ink on black, each pixel a scale×scale block.
func Digit(px []float32, w, h, scale int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w*scale, h*scale))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			v := px[y*w+x]
			if v != v { // NaN: show it, do not hide it as black
				fill(img, x*scale, y*scale, scale, scale, color.RGBA{255, 0, 255, 255})
				continue
			}
			g := uint8(math.Round(float64(min(max(v, 0), 1)) * 255))
			fill(img, x*scale, y*scale, scale, scale, color.RGBA{g, g, g, 255})
		}
	}
	return img
}

// CodeLayout gives the rows and columns a code of n values is drawn as:
// 8x4 for the 32-value codes and 16x8 for the 128-value one, as the post
// shows them, and a near-square layout otherwise.
func CodeLayout(n int) (rows, cols int) {
	switch n {
	case 32:
		return 8, 4
	case 128:
		return 16, 8
	}
	cols = int(math.Ceil(math.Sqrt(float64(n))))
	return (n + cols - 1) / cols, cols
}

// Code renders a code vector as a rows×cols heat map in viridis, each value
// a cell×cell block, mapping [lo, hi] onto the colour map.
func Code(code []float32, rows, cols, cell int, lo, hi float32) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, cols*cell, rows*cell))
	span := hi - lo
	if span <= 0 {
		span = 1
	}
	for i, v := range code {
		if i >= rows*cols {
			break
		}
		t := float64((v - lo) / span)
		fill(img, (i%cols)*cell, (i/cols)*cell, cell, cell, Viridis(t))
	}
	return img
}

// Range returns the smallest and largest finite value of v (0, 1 if none).
func Range(v []float32) (lo, hi float32) {
	lo, hi = float32(math.Inf(1)), float32(math.Inf(-1))
	for _, x := range v {
		if x == x && !math.IsInf(float64(x), 0) {
			lo, hi = min(lo, x), max(hi, x)
		}
	}
	if lo > hi {
		return 0, 1
	}
	return lo, hi
}

// Viridis maps t in [0, 1] to matplotlib's perceptually uniform viridis
// colour map, by a polynomial fit (within about 1% of the table).
func Viridis(t float64) color.RGBA {
	t = min(max(t, 0), 1)
	if t != t {
		t = 0
	}
	t2, t3 := t*t, t*t*t
	t4, t5 := t3*t, t3*t2
	r := 0.280268003 - 0.143510503*t + 2.225793877*t2 - 14.815088879*t3 + 25.212752309*t4 - 11.772589584*t5
	g := -0.002117546 + 1.617109353*t - 1.909305070*t2 + 2.701152864*t3 - 1.685288385*t4 + 0.178738871*t5
	b := 0.300805501 + 2.614650302*t - 12.019139090*t2 + 28.933559110*t3 - 33.491294770*t4 + 13.762053843*t5
	return color.RGBA{byte8(r), byte8(g), byte8(b), 255}
}

func byte8(v float64) uint8 { return uint8(math.Round(min(max(v, 0), 1) * 255)) }

func fill(img *image.RGBA, x0, y0, w, h int, c color.RGBA) {
	for y := y0; y < y0+h; y++ {
		row := img.Pix[y*img.Stride+x0*4 : y*img.Stride+(x0+w)*4]
		for i := 0; i < len(row); i += 4 {
			row[i], row[i+1], row[i+2], row[i+3] = c.R, c.G, c.B, c.A
		}
	}
}
