package main

import (
	"aeplay/nn/catalog"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"os"
	"path/filepath"

	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"aeplay/nn"
	"aeplay/nn/train"
	"aeplay/nn/viz"
)

// figureDigits is how many test digits the figures show: the post's first
// ten test images.
const figureDigits = 10

// writeFigures writes <model>-digits.png (the post's grid) and, after
// training, <model>-loss.png.
func writeFigures(o options, e catalog.Entry, m, conv *nn.Model, test train.Dataset, hist []train.EpochInfo) error {
	if err := os.MkdirAll(o.figures, 0o755); err != nil {
		return err
	}
	idx := make([]int, figureDigits)
	for i := range idx {
		idx[i] = i
	}
	clean := train.Dataset{Images: test.Images}
	originals := clean.Inputs(idx)
	const scale = 3
	side := test.Images.Rows
	var rows []figRow
	digits := func(x []float32) []*image.RGBA {
		var imgs []*image.RGBA
		for i := 0; i < figureDigits; i++ {
			imgs = append(imgs, viz.Digit(x[i*side*side:(i+1)*side*side], side, side, scale))
		}
		return imgs
	}
	rows = append(rows, figRow{"original", digits(originals)})
	if e.Noise > 0 { // a denoiser: its noisy input, the baseline's output on it, its own
		noisy := test.Inputs(idx)
		rows = append(rows, figRow{"noisy", digits(noisy)})
		if conv != nil {
			rows = append(rows, figRow{e.Baseline + " AE", digits(predict(conv, noisy))})
		}
		rows = append(rows, figRow{"denoising AE", digits(predict(m, noisy))})
	} else {
		codes := predict(m.Encoder(), originals)
		n := m.CodeShape().Size()
		r, c := viz.CodeLayout(n)
		lo, hi := viz.Range(codes)
		cell := side * scale / r
		var imgs []*image.RGBA
		for i := 0; i < figureDigits; i++ {
			imgs = append(imgs, viz.Code(codes[i*n:(i+1)*n], r, c, cell, lo, hi))
		}
		rows = append(rows, figRow{fmt.Sprintf("code (%d)", n), imgs})
		rows = append(rows, figRow{"reconstruction", digits(predict(m, originals))})
	}
	if err := writePNG(filepath.Join(o.figures, e.FileName()+"-digits.png"), compose(rows)); err != nil {
		return err
	}
	if len(hist) > 0 {
		return lossPlot(filepath.Join(o.figures, e.FileName()+"-loss.png"), e.Title, hist)
	}
	return nil
}

func predict(m *nn.Model, x []float32) []float32 {
	n := len(x) / m.Input.Size()
	y := make([]float32, n*m.Output().Size())
	m.NewRunner(n, nn.NewKernel()).Predict(x, n, y)
	return y
}

type figRow struct {
	label string
	imgs  []*image.RGBA
}

// compose lays rows of images out on a white sheet with their labels on the
// left.
func compose(rows []figRow) *image.RGBA {
	const pad, labelW = 6, 110
	var colW []int // each column as wide as its widest image; narrower ones are centred
	h := pad
	for _, r := range rows {
		rh := 0
		for i, im := range r.imgs {
			if i == len(colW) {
				colW = append(colW, 0)
			}
			colW[i] = max(colW[i], im.Bounds().Dx())
			rh = max(rh, im.Bounds().Dy())
		}
		h += rh + pad
	}
	w := labelW
	for _, cw := range colW {
		w += cw + pad
	}
	sheet := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(sheet, sheet.Bounds(), image.White, image.Point{}, draw.Src)
	y := pad
	for _, r := range rows {
		rh := 0
		x := labelW
		for i, im := range r.imgs {
			off := (colW[i] - im.Bounds().Dx()) / 2
			draw.Draw(sheet, im.Bounds().Add(image.Pt(x+off, y)), im, image.Point{}, draw.Src)
			x += colW[i] + pad
			rh = max(rh, im.Bounds().Dy())
		}
		d := font.Drawer{Dst: sheet, Src: image.NewUniform(color.RGBA{40, 40, 40, 255}), Face: basicfont.Face7x13,
			Dot: fixed.P(pad, y+rh/2+4)}
		d.DrawString(r.label)
		y += rh + pad
	}
	return sheet
}

func writePNG(path string, img image.Image) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := png.Encode(f, img); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// lossPlot draws the training and validation loss per epoch.
func lossPlot(path, model string, hist []train.EpochInfo) error {
	p := plot.New()
	p.Title.Text = model + " autoencoder"
	p.X.Label.Text = "epoch"
	p.Y.Label.Text = "binary cross-entropy"
	train, val := make(plotter.XYs, len(hist)), make(plotter.XYs, len(hist))
	for i, e := range hist {
		train[i] = plotter.XY{X: float64(e.Epoch), Y: e.Loss}
		val[i] = plotter.XY{X: float64(e.Epoch), Y: e.ValLoss}
	}
	lt, err := plotter.NewLine(train)
	if err != nil {
		return err
	}
	lt.Color = color.RGBA{31, 119, 180, 255}
	lv, err := plotter.NewLine(val)
	if err != nil {
		return err
	}
	lv.Color = color.RGBA{255, 127, 14, 255}
	p.Add(lt, lv, plotter.NewGrid())
	p.Legend.Add("loss", lt)
	p.Legend.Add("val_loss", lv)
	p.Legend.Top = true
	return p.Save(6*vg.Inch, 4*vg.Inch, path)
}
