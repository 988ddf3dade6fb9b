package idx

import (
	"aeplay/internal/alloctest"
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"io"
	"strings"
	"testing"
)

// idxBytes is an IDX file whose header may promise more or less than
// data holds (Append refuses to write such files).
func idxBytes(dims []int, data []uint8) []byte {
	b := []byte{0, 0, 8, byte(len(dims))}
	for _, d := range dims {
		b = binary.BigEndian.AppendUint32(b, uint32(d))
	}
	return append(b, data...)
}

func gz(b []byte) []byte {
	var out bytes.Buffer
	w := gzip.NewWriter(&out)
	w.Write(b)
	w.Close()
	return out.Bytes()
}

func TestReadImages(t *testing.T) {
	im := &Images{N: 5, Rows: 28, Cols: 28, Pixels: make([]uint8, 5*784)}
	for i := range im.Pixels {
		im.Pixels[i] = uint8(i * 7)
	}
	raw := idxBytes([]int{5, 28, 28}, im.Pixels)
	for name, b := range map[string][]byte{"raw": raw, "gzip": gz(raw)} {
		got, err := ReadImages(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if got.N != 5 || got.Rows != 28 || got.Cols != 28 || !bytes.Equal(got.Pixels, im.Pixels) {
			t.Errorf("%s: decoded %dx%dx%d, pixels equal %v", name, got.N, got.Rows, got.Cols, bytes.Equal(got.Pixels, im.Pixels))
		}
	}
	labels, err := ReadLabels(bytes.NewReader(idxBytes([]int{3}, []uint8{7, 2, 1})))
	if err != nil || !bytes.Equal(labels, []uint8{7, 2, 1}) {
		t.Errorf("labels %v, %v", labels, err)
	}
}

func TestReadIDXErrors(t *testing.T) {
	good := idxBytes([]int{2, 4, 4}, make([]uint8, 32))
	cases := []struct {
		name string
		b    []byte
		want string
	}{
		{"empty", nil, "too short"},
		{"wrong magic", append([]byte{0x50, 0x4b, 3, 4}, good[4:]...), "not an IDX file"},
		{"float element type", append([]byte{0, 0, 0x0d, 3}, good[4:]...), "element type"},
		{"truncated header", good[:9], "truncated IDX header"},
		{"truncated data", good[:len(good)-5], "header promises 32 bytes, file has 27"},
		{"truncated gzip", gz(good)[:20], "truncated"},
		{"labels as images", idxBytes([]int{3}, []uint8{1, 2, 3}), "3 dimensions"},
		{"huge", idxBytes([]int{1 << 20, 1 << 20, 1 << 20}, nil), "larger than"},
	}
	for _, tc := range cases {
		_, err := ReadImages(bytes.NewReader(tc.b))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
	if _, err := ReadLabels(bytes.NewReader(good)); err == nil || !strings.Contains(err.Error(), "1 dimension") {
		t.Errorf("images as labels: %v", err)
	}
}

func FuzzReadIDX(f *testing.F) {
	f.Add(idxBytes([]int{2, 3, 3}, make([]uint8, 18)))
	f.Add(gz(idxBytes([]int{1, 2, 2}, []uint8{1, 2, 3, 4})))
	f.Add(idxBytes([]int{4}, []uint8{1, 2, 3, 4}))
	f.Add([]byte{0, 0, 8, 3, 0, 0})
	f.Add([]byte{0, 0, 8, 3, 0, 0x10, 0, 0, 0, 0, 0, 32, 0, 0, 0, 32}) // 16 bytes promising 1 GiB
	f.Fuzz(func(t *testing.T, b []byte) {
		var dims []int
		var data []uint8
		var err error
		// What is read is the data plus the buffer's growth; decompressed,
		// a file may hold 1032 times its size.
		perByte := 3
		if len(b) > 1 && b[0] == 0x1f && b[1] == 0x8b {
			perByte *= gzipMaxRatio
		}
		alloctest.Check(t, "idx.Read", len(b), perByte, func() { dims, data, err = Read(bytes.NewReader(b)) })
		if err != nil {
			return
		}
		n := 1
		for _, d := range dims {
			n *= d
		}
		if n != len(data) {
			t.Fatalf("dims %v but %d bytes", dims, len(data))
		}
	})
}

// TestHostileHeaderAllocatesNothing: 16 bytes whose header promises 1 GiB
// (1048576 images of 32×32) are refused before any buffer for the data is
// made, raw or gzipped.
func TestHostileHeaderAllocatesNothing(t *testing.T) {
	hostile := []byte{0, 0, 8, 3, 0, 0x10, 0, 0, 0, 0, 0, 32, 0, 0, 0, 32}
	for _, in := range [][]byte{hostile, gz(hostile)} {
		var err error
		got := alloctest.Bytes(func() { _, err = ReadImages(bytes.NewReader(in)) })
		if err == nil || got > 64<<10 {
			t.Errorf("a %d-byte file promising 1 GiB: %d bytes allocated, error %v", len(in), got, err)
		}
	}
	// Through a reader that does not know its length, the buffer grows only
	// as bytes arrive.
	var err error
	if got := alloctest.Bytes(func() { _, err = ReadImages(struct{ io.Reader }{bytes.NewReader(hostile)}) }); err == nil || got > 64<<10 {
		t.Errorf("streamed, a 16-byte file promising 1 GiB: %d bytes allocated, error %v", got, err)
	}
}
