package safetensors

import (
	"aeplay/internal/alloctest"
	"bytes"
	"encoding/binary"
	"math"
	"slices"
	"strings"
	"testing"
)

func FuzzRead(f *testing.F) {
	var good bytes.Buffer
	if err := Write(&good, []Tensor{{Name: "dense_1/kernel", Shape: []int{3, 2}, Data: []float32{1, 2, 3, 4, 5, 6}}, {Name: "dense_1/bias", Shape: []int{2}, Data: []float32{0, 1}}}, map[string]string{"model": "f"}); err != nil {
		f.Fatal(err)
	}
	f.Add(good.Bytes())
	f.Add([]byte("\x10\x00\x00\x00\x00\x00\x00\x00{}              "))
	f.Add([]byte("\x02\x00\x00\x00\x00\x00\x00\x00{}"))
	f.Add(pythonFile(`{"b":{"dtype":"F16","shape":[2],"data_offsets":[0,4]},"a":{"dtype":"BF16","shape":[1],"data_offsets":[4,6]}}`, []byte{0, 0x3c, 0, 0xc0, 0x80, 0x3f}))
	f.Fuzz(func(t *testing.T, b []byte) {
		var ts []Tensor
		var meta map[string]string
		var err error
		// F16 data doubles when widened; the header's parse costs its size
		// a few times over.
		alloctest.Check(t, "safetensors.Read", len(b), 24, func() { ts, meta, err = Read(b) })
		if err != nil {
			return
		}
		if meta == nil {
			t.Fatal("a decoded file with nil metadata")
		}
		// Whatever decodes must survive a round trip unchanged.
		var out bytes.Buffer
		if err := Write(&out, ts, meta); err != nil {
			t.Fatalf("re-encoding a decoded file: %v", err)
		}
		ts2, _, err := Read(out.Bytes())
		if err != nil || len(ts2) != len(ts) {
			t.Fatalf("round trip: %v", err)
		}
		for i := range ts {
			if ts[i].Name != ts2[i].Name || !slices.Equal(ts[i].Shape, ts2[i].Shape) || len(ts[i].Data) != len(ts2[i].Data) {
				t.Fatalf("round trip changed %s", ts[i].Name)
			}
		}
	})
}

// pythonFile lays out a file as safetensors' save_file does: the header's
// length, the header padded to 8 bytes, the data.
func pythonFile(header string, data []byte) []byte {
	h := []byte(header)
	for len(h)%8 != 0 {
		h = append(h, ' ')
	}
	b := binary.LittleEndian.AppendUint64(nil, uint64(len(h)))
	return append(append(b, h...), data...)
}

// TestFilesFromPython: no __metadata__ (save_file's default), tensors laid
// out in any order, and F16 and BF16 values widened exactly.
func TestFilesFromPython(t *testing.T) {
	b := pythonFile(`{"w":{"dtype":"F32","shape":[2],"data_offsets":[4,12]},"h":{"dtype":"F16","shape":[2],"data_offsets":[0,4]},"g":{"dtype":"BF16","shape":[2],"data_offsets":[12,16]}}`,
		[]byte{0x00, 0x3c, 0x01, 0x80, // F16 1.0, the smallest negative subnormal
			0, 0, 0x80, 0x3f, 0, 0, 0x20, 0xc1, // F32 1.0, -10
			0x80, 0x3f, 0x49, 0x40}) // BF16 1.0, 3.140625
	ts, meta, err := Read(b)
	if err != nil {
		t.Fatal(err)
	}
	if meta == nil || len(meta) != 0 {
		t.Errorf("metadata of a file without any: %#v", meta)
	}
	got := map[string][]float32{}
	for _, x := range ts {
		got[x.Name] = x.Data
	}
	want := map[string][]float32{"h": {1, -float32(math.Ldexp(1, -24))}, "w": {1, -10}, "g": {1, 3.140625}}
	for name, w := range want {
		if !slices.Equal(got[name], w) {
			t.Errorf("%s: %v, want %v", name, got[name], w)
		}
	}
	if _, _, err := Read(pythonFile(`{"i":{"dtype":"I64","shape":[1],"data_offsets":[0,8]}}`, make([]byte, 8))); err == nil || !strings.Contains(err.Error(), "I64") {
		t.Errorf("an integer tensor: %v", err)
	}
}

func TestHalfToFloat(t *testing.T) {
	for h, want := range map[uint16]float32{0x3c00: 1, 0xc000: -2, 0x7bff: 65504, 0x0400: float32(math.Ldexp(1, -14)), 0x0001: float32(math.Ldexp(1, -24)), 0x8000: float32(math.Copysign(0, -1))} {
		if got := halfToFloat(h); got != want || math.Signbit(float64(got)) != math.Signbit(float64(want)) {
			t.Errorf("half %#04x: %v, want %v", h, got, want)
		}
	}
	if v := halfToFloat(0x7c00); !math.IsInf(float64(v), 1) {
		t.Errorf("half +Inf: %v", v)
	}
	if v := halfToFloat(0x7e00); !math.IsNaN(float64(v)) {
		t.Errorf("half NaN: %v", v)
	}
}
