// Command sitedata puts the data the page fetches into web/data: the four
// MNIST files, copied from the GoMNIST module (nothing is downloaded), and
// a small sample of the first test digits that the page shows before
// anything else has loaded.
//
//	go run ./scripts/sitedata -out web/data
package main

import (
	"bytes"
	"compress/gzip"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"aeplay/nn/encoding/idx"
	"aeplay/scripts/internal/mnistdata"
)

// SampleDigits is how many of the first test digits the sample holds: the
// first grid and "new digits" draw from them until training has fetched
// the whole test set. (TestFirstLoadIsLight prints each file's share of
// the first load.)
const SampleDigits = 500

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
