package page

import (
	"fmt"
	"image"

	"aeplay/nn/spec"
	"aeplay/nn/viz"
)

// LayerLine says in a line what a layer does to its input.
func LayerLine(l spec.Layer) string {
	act := map[string]string{"relu": "then ReLU", "sigmoid": "then a sigmoid", "linear": "no activation"}[l.Activation]
	var t string
	switch l.Kind {
	case spec.Dense:
		t = fmt.Sprintf("%d units, each a weighted sum of every input value, %s", l.Units, act)
	case spec.Conv2D:
		t = fmt.Sprintf("%d filters of %d×%d slid over the image (stride %d, '%s' padding), %s", l.Filters, l.Kernel, l.Kernel, l.Strides, l.Padding, act)
	case spec.MaxPooling2D:
		t = fmt.Sprintf("the largest value of each %d×%d patch", l.Size, l.Size)
	case spec.UpSampling2D:
		t = fmt.Sprintf("each value repeated in a %d×%d block", l.Size, l.Size)
	case spec.Flatten:
		t = "the image's values in one row"
	case spec.Reshape:
		t = "the values arranged as " + spec.ShapeText(l.Target)
	case spec.Sampling:
		t = fmt.Sprintf("z_mean and z_log_var, %d values each (two Dense heads), and z drawn from N(z_mean, exp(z_log_var)); shown at z_mean", l.Units)
	}
	if l.L1 != 0 || l.L2 != 0 {
		t += "; an activity penalty on its output"
	}
	return t
}

// LayerPicture draws one layer's output for one digit: an image output
// (height×width×channels) as a tile per channel, each about 28 px, in rows
// of at most 16; flat values as a block of viridis cells (784 values, the
// reconstruction, as a digit). One colour range per layer, so that the
// tiles of a layer compare.
func LayerPicture(v []float32, shape []int) *image.RGBA {
	const gap = 2
	if len(shape) == 3 {
		h, w, c := shape[0], shape[1], shape[2]
		cell := max(1, 28/max(h, w))
		cols := min(c, 16)
		rows := (c + cols - 1) / cols
		tw, th := w*cell, h*cell
		img := image.NewRGBA(image.Rect(0, 0, cols*(tw+gap)-gap, rows*(th+gap)-gap))
		lo, hi := viz.Range(v)
		ch := make([]float32, h*w)
		for k := 0; k < c; k++ {
			for i := range ch {
				ch[i] = v[i*c+k]
			}
			var tile *image.RGBA
			if c == 1 && lo >= 0 && hi <= 1 {
				tile = viz.Digit(ch, w, h, cell) // a one-channel image in [0, 1]: a digit
			} else {
				tile = viz.Code(ch, h, w, cell, lo, hi)
			}
			blit(img, tile, (k%cols)*(tw+gap), (k/cols)*(th+gap))
		}
		return img
	}
	n := len(v)
	if n == 784 {
		return viz.Digit(v, 28, 28, 2)
	}
	rows, cols := viz.CodeLayout(n)
	cell := max(2, min(8, 224/cols))
	lo, hi := viz.Range(v)
	return viz.Code(v, rows, cols, cell, lo, hi)
}

// blit copies src into dst at (x, y), row by row (image/draw would add
// to the WebAssembly download for this one copy).
func blit(dst, src *image.RGBA, x, y int) {
	w := src.Bounds().Dx() * 4
	for r := 0; r < src.Bounds().Dy(); r++ {
		o := dst.PixOffset(x, y+r)
		copy(dst.Pix[o:o+w], src.Pix[r*src.Stride:r*src.Stride+w])
	}
}
