package safetensors

import (
	"aeplay/internal/alloctest"
	"bytes"
	"encoding/binary"
	"math"
	"math/rand/v2"
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

// TestFloatToHalf: every half value survives widening and rounding back;
// random floats round to the nearer of the two halves around them, ties
// to the even one; values past the largest half are refused.
func TestFloatToHalf(t *testing.T) {
	for h := range 1 << 16 {
		if h&0x7c00 == 0x7c00 && h&0x3ff != 0 {
			continue // NaNs: checked below
		}
		if got, ok := floatToHalf(halfToFloat(uint16(h))); !ok || got != uint16(h) {
			t.Fatalf("half %#04x → %v → %#04x (ok %v)", h, halfToFloat(uint16(h)), got, ok)
		}
	}
	if h, ok := floatToHalf(float32(math.NaN())); !ok || !math.IsNaN(float64(halfToFloat(h))) {
		t.Errorf("NaN → %#04x", h)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 200_000 {
		// Values over the whole range of halves, subnormals included.
		f := float32(math.Ldexp(rng.Float64()*2-1, rng.IntN(42)-26))
		h, ok := floatToHalf(f)
		if !ok {
			t.Fatalf("%g refused", f)
		}
		got := float64(halfToFloat(h))
		d := math.Abs(got - float64(f))
		for _, n := range []uint16{h - 1, h + 1} {
			if n&0x7fff >= 0x7c00 || n&0x7fff == 0x7fff {
				continue
			}
			alt := float64(halfToFloat(n))
			if math.Signbit(alt) != math.Signbit(float64(f)) && alt != 0 {
				continue
			}
			if da := math.Abs(alt - float64(f)); da < d || da == d && h&1 == 1 {
				t.Fatalf("%g rounds to %#04x (%g), but %#04x (%g) is as near or nearer and even", f, h, got, n, alt)
			}
		}
	}
	for _, c := range []struct {
		f  float32
		ok bool
	}{{65504, true}, {65519.99, true}, {65520, false}, {-1e6, false}, {float32(math.Inf(-1)), true}} {
		if _, ok := floatToHalf(c.f); ok != c.ok {
			t.Errorf("%g: ok %v, want %v", c.f, ok, c.ok)
		}
	}
}

// TestWriteF16: a file written as F16 is half the data, reads back as the
// rounded values, and refuses a value F16 cannot hold.
func TestWriteF16(t *testing.T) {
	ts := []Tensor{{Name: "w", Shape: []int{2, 3}, Data: []float32{1, -0.1, 3.14159, 1e-6, 0, 65504}}, {Name: "b", Shape: []int{1}, Data: []float32{0.5}}}
	var f32, f16 bytes.Buffer
	if err := Write(&f32, ts, map[string]string{"model": "x"}); err != nil {
		t.Fatal(err)
	}
	if err := WriteAs(&f16, "F16", ts, map[string]string{"model": "x"}); err != nil {
		t.Fatal(err)
	}
	if d32, d16 := f32.Len(), f16.Len(); d32-d16 != 2*7 {
		t.Errorf("F32 file %d bytes, F16 %d: want 14 bytes fewer", d32, d16)
	}
	got, meta, err := Read(f16.Bytes())
	if err != nil || meta["model"] != "x" {
		t.Fatalf("reading back: %v %v", meta, err)
	}
	for _, g := range got {
		want := ts[0]
		if g.Name == "b" {
			want = ts[1]
		}
		for i, v := range g.Data {
			h, _ := floatToHalf(want.Data[i])
			if v != halfToFloat(h) || math.Abs(float64(v-want.Data[i])) > 1e-3*math.Abs(float64(want.Data[i]))+1e-7 {
				t.Errorf("%s[%d]: %v read back, wrote %v", g.Name, i, v, want.Data[i])
			}
		}
	}
	if err := WriteAs(&bytes.Buffer{}, "F16", []Tensor{{Name: "big", Shape: []int{1}, Data: []float32{1e5}}}, nil); err == nil || !strings.Contains(err.Error(), "big") {
		t.Errorf("1e5 as F16: %v", err)
	}
	if err := WriteAs(&bytes.Buffer{}, "I8", ts, nil); err == nil {
		t.Error("dtype I8 written")
	}
}
