package idx

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
)

// maxIDXBytes bounds what a header may ask us to allocate, so a corrupt or
// hostile file gets an error rather than an out-of-memory crash.
const maxIDXBytes = 1 << 30

// Images is a set of same-sized greyscale images, kept as bytes (0 = black
// background, 255 = full ink, as in MNIST): 60,000 MNIST images are 47 MB
// this way and 188 MB as float32, so batches are converted when used.
type Images struct {
	N, Rows, Cols int
	Pixels        []uint8 // N*Rows*Cols, image after image, row-major
}

// Size is the number of pixels in one image.
func (im *Images) Size() int { return im.Rows * im.Cols }

// Image returns image i's pixels.
func (im *Images) Image(i int) []uint8 { return im.Pixels[i*im.Size() : (i+1)*im.Size()] }

// Slice returns images [lo, hi) sharing this set's memory.
func (im *Images) Slice(lo, hi int) *Images {
	return &Images{N: hi - lo, Rows: im.Rows, Cols: im.Cols, Pixels: im.Pixels[lo*im.Size() : hi*im.Size()]}
}

// Read decodes an IDX file of unsigned bytes (gzip-compressed or not)
// and returns its dimensions and data.
//
// A header can promise up to 1 GiB; Read never allocates for a promise the
// input cannot keep. When r knows its length (a bytes.Reader, as every
// caller here passes), an uncompressed file shorter than its header says is
// refused before any allocation, and a compressed one gets a buffer of at
// most 8 times its size to begin with; otherwise, and past that, the buffer
// grows only as bytes arrive. So Read allocates at most about twice what
// the input holds (decompressed).
func Read(r io.Reader) (dims []int, data []uint8, err error) {
	// The input's length, when r says it.
	avail := -1
	if l, ok := r.(interface{ Len() int }); ok {
		avail = l.Len()
	}
	gz := false
	br := bufio.NewReader(r)
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		gz = true
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, nil, fmt.Errorf("bad gzip stream: %w", err)
		}
		defer zr.Close()
		br = bufio.NewReader(zr)
	}
	var hdr [4]byte
	if _, err := io.ReadFull(br, hdr[:]); err != nil {
		return nil, nil, fmt.Errorf("too short for an IDX header: %w", noEOF(err))
	}
	if hdr[0] != 0 || hdr[1] != 0 {
		return nil, nil, fmt.Errorf("not an IDX file: magic number %#02x%02x%02x%02x does not start with two zero bytes", hdr[0], hdr[1], hdr[2], hdr[3])
	}
	if hdr[2] != 0x08 {
		return nil, nil, fmt.Errorf("IDX element type %#02x is not supported (only 0x08, unsigned bytes)", hdr[2])
	}
	nd := int(hdr[3])
	if nd == 0 {
		return nil, nil, errors.New("IDX file has zero dimensions")
	}
	dims = make([]int, nd)
	total := 1
	for i := range dims {
		var d uint32
		if err := binary.Read(br, binary.BigEndian, &d); err != nil {
			return nil, nil, fmt.Errorf("truncated IDX header (dimension %d of %d): %w", i+1, nd, noEOF(err))
		}
		dims[i] = int(d)
		if d == 0 {
			total = 0
		} else if total > maxIDXBytes/int(d) {
			return nil, nil, fmt.Errorf("IDX dimensions %v are larger than %d bytes", dims[:i+1], maxIDXBytes)
		}
		total *= int(d)
	}
	start := min(total, 32<<10) // a stream of unknown length: grow from little
	switch {
	case avail >= 0 && !gz:
		if left := avail - 4 - 4*nd; left < total {
			return nil, nil, fmt.Errorf("truncated IDX data: header promises %d bytes, file has %d", total, max(left, 0))
		}
		start = total
	case avail >= 0 && gz:
		if avail < maxIDXBytes/gzipMaxRatio && total > avail*gzipMaxRatio {
			return nil, nil, fmt.Errorf("IDX header promises %d bytes, more than a %d-byte gzip file can hold", total, avail)
		}
		// MNIST's files expand 4.75 times: they are read without a copy.
		start = min(total, 8*avail)
	}
	data, err = readGrowing(br, total, start)
	if err != nil {
		return nil, nil, fmt.Errorf("truncated IDX data: header promises %d bytes, file has %d", total, len(data))
	}
	return dims, data, nil
}

// gzipMaxRatio is the most deflate can expand: 258 bytes from a 2-bit code
// (about 1032:1).
const gzipMaxRatio = 1032

// readGrowing reads exactly total bytes into a buffer that starts at start
// bytes and doubles only as bytes arrive: a header's promise costs memory
// only once the input keeps it. It returns what it read on error.
func readGrowing(r io.Reader, total, start int) ([]byte, error) {
	buf := make([]byte, 0, max(start, min(total, 4096)))
	for len(buf) < total {
		if len(buf) == cap(buf) {
			grown := make([]byte, len(buf), min(total, 2*cap(buf)))
			copy(grown, buf)
			buf = grown
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err != nil && len(buf) < total {
			return buf, noEOF(err)
		}
	}
	return buf, nil
}

func noEOF(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

// ReadImages decodes an IDX image file (three dimensions: count, rows,
// columns), such as train-images-idx3-ubyte(.gz).
func ReadImages(r io.Reader) (*Images, error) {
	dims, data, err := Read(r)
	if err != nil {
		return nil, err
	}
	if len(dims) != 3 {
		return nil, fmt.Errorf("an IDX image file has 3 dimensions (count, rows, columns); this one has %d: %v", len(dims), dims)
	}
	if dims[1] == 0 || dims[2] == 0 {
		return nil, fmt.Errorf("IDX images of %dx%d pixels are empty", dims[1], dims[2])
	}
	return &Images{N: dims[0], Rows: dims[1], Cols: dims[2], Pixels: data}, nil
}

// ReadLabels decodes an IDX label file (one dimension), such as
// train-labels-idx1-ubyte(.gz).
func ReadLabels(r io.Reader) ([]uint8, error) {
	dims, data, err := Read(r)
	if err != nil {
		return nil, err
	}
	if len(dims) != 1 {
		return nil, fmt.Errorf("an IDX label file has 1 dimension; this one has %d: %v", len(dims), dims)
	}
	return data, nil
}

// LoadImages reads an IDX image file from disk; errors name the file.
func LoadImages(path string) (*Images, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	im, err := ReadImages(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return im, nil
}

// LoadLabels reads an IDX label file from disk; errors name the file.
func LoadLabels(path string) ([]uint8, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	l, err := ReadLabels(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return l, nil
}
