package safetensors

import (
	"aeplay/nn/encoding/strictjson"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
)

// maxHeaderBytes is the safetensors specification's limit on the header.
const maxHeaderBytes = 100 << 20

// Tensor is one named float32 array in a weight file.
type Tensor struct {
	Name  string
	Shape []int
	Data  []float32
}

type stEntry struct {
	Dtype   string
	Shape   []int
	Offsets []int
}

// decodeEntry reads {"dtype": "F32", "shape": [..], "data_offsets": [b, e]}.
func decodeEntry(v any) (stEntry, error) {
	var e stEntry
	obj, ok := v.(map[string]any)
	if !ok {
		return e, errors.New("not an object")
	}
	if e.Dtype, ok = obj["dtype"].(string); !ok {
		return e, errors.New(`"dtype" is missing or not a string`)
	}
	ints := func(key string) ([]int, error) {
		arr, ok := obj[key].([]any)
		if !ok {
			return nil, fmt.Errorf("%q is missing or not an array", key)
		}
		out := make([]int, len(arr))
		for i, x := range arr {
			n, err := strictjson.Int(x)
			if err != nil {
				return nil, fmt.Errorf("%q: %w", key, err)
			}
			out[i] = n
		}
		return out, nil
	}
	var err error
	if e.Shape, err = ints("shape"); err != nil {
		return e, err
	}
	if e.Offsets, err = ints("data_offsets"); err != nil {
		return e, err
	}
	return e, nil
}

// Write writes tensors (in name order) and metadata to w, as F32.
func Write(w io.Writer, tensors []Tensor, meta map[string]string) error {
	return WriteAs(w, "F32", tensors, meta)
}

// WriteAs writes tensors (in name order) and metadata to w, each value
// stored as dtype: "F32", or "F16" (half the bytes; each value rounded to
// the nearest half-precision one, ties to even, as numpy's astype and
// PyTorch's half() round). A finite value beyond F16's range (±65,504) is
// an error rather than an infinity in the file.
func WriteAs(w io.Writer, dtype string, tensors []Tensor, meta map[string]string) error {
	width, ok := map[string]int{"F32": 4, "F16": 2}[dtype]
	if !ok {
		return fmt.Errorf("safetensors: cannot write dtype %q (F32 or F16)", dtype)
	}
	ts := append([]Tensor(nil), tensors...)
	sort.Slice(ts, func(i, j int) bool { return ts[i].Name < ts[j].Name })
	var hb strings.Builder
	hb.WriteByte('{')
	if len(meta) > 0 {
		hb.WriteString(`"__metadata__":`)
		strictjson.StringMap(&hb, meta)
	}
	off := 0
	for i, t := range ts {
		if i > 0 && ts[i-1].Name == t.Name {
			return fmt.Errorf("safetensors: tensor %q appears twice", t.Name)
		}
		if size(t.Shape) != len(t.Data) {
			return fmt.Errorf("safetensors: tensor %q has shape %v but %d values", t.Name, t.Shape, len(t.Data))
		}
		if hb.Len() > 1 {
			hb.WriteByte(',')
		}
		strictjson.Quote(&hb, t.Name)
		hb.WriteString(`:{"dtype":"` + dtype + `","shape":[`)
		for i, d := range t.Shape {
			if i > 0 {
				hb.WriteByte(',')
			}
			hb.WriteString(strconv.Itoa(d))
		}
		fmt.Fprintf(&hb, `],"data_offsets":[%d,%d]}`, off, off+width*len(t.Data))
		off += width * len(t.Data)
	}
	hb.WriteByte('}')
	h := []byte(hb.String())
	// Pad the header with spaces so the data starts 8-byte aligned, as the
	// reference implementation does.
	for len(h)%8 != 0 {
		h = append(h, ' ')
	}
	buf := make([]byte, 8+len(h)+off)
	binary.LittleEndian.PutUint64(buf, uint64(len(h)))
	copy(buf[8:], h)
	data := buf[8+len(h):]
	for _, t := range ts {
		for _, v := range t.Data {
			if width == 4 {
				binary.LittleEndian.PutUint32(data, math.Float32bits(v))
				data = data[4:]
				continue
			}
			hv, ok := floatToHalf(v)
			if !ok {
				return fmt.Errorf("safetensors: tensor %q holds %g, beyond the range of F16 (±65504)", t.Name, v)
			}
			binary.LittleEndian.PutUint16(data, hv)
			data = data[2:]
		}
	}
	_, err := w.Write(buf)
	return err
}

// Read decodes a whole safetensors file. F32 tensors are read as they are;
// F16 and BF16 ones (what PyTorch users often save) are widened to float32.
// The metadata is never nil: a file without __metadata__ (what
// safetensors' save_file writes by default) gives an empty map. It
// allocates at most twice the file's size for the tensors, plus the
// parsed header.
func Read(b []byte) (tensors []Tensor, meta map[string]string, err error) {
	if len(b) < 8 {
		return nil, nil, fmt.Errorf("too short for a safetensors file (%d bytes; the header length alone is 8)", len(b))
	}
	n := binary.LittleEndian.Uint64(b)
	if n > maxHeaderBytes {
		return nil, nil, fmt.Errorf("not a safetensors file: its first 8 bytes are no plausible header length (%d bytes, over the 100 MB limit)", n)
	}
	if uint64(len(b)-8) < n {
		return nil, nil, fmt.Errorf("truncated safetensors header: it should be %d bytes, the file has %d after the length", n, len(b)-8)
	}
	hdr, data := b[8:8+n], b[8+n:]
	if len(bytes.TrimSpace(hdr)) == 0 || bytes.TrimSpace(hdr)[0] != '{' {
		return nil, nil, errors.New("not a safetensors file: the header is not a JSON object")
	}
	parsed, err := strictjson.Parse(string(hdr))
	if err != nil {
		return nil, nil, fmt.Errorf("bad safetensors header: %w", err)
	}
	raw, ok := parsed.(map[string]any)
	if !ok {
		return nil, nil, errors.New("not a safetensors file: the header is not a JSON object")
	}
	meta = map[string]string{}
	if m, ok := raw["__metadata__"]; ok {
		obj, ok := m.(map[string]any)
		if !ok {
			return nil, nil, errors.New("bad safetensors metadata: it must be an object of strings")
		}
		for k, v := range obj {
			s, ok := v.(string)
			if !ok {
				return nil, nil, fmt.Errorf("bad safetensors metadata: %q is not a string", k)
			}
			meta[k] = s
		}
		delete(raw, "__metadata__")
	}
	type span struct {
		lo, hi int
		name   string
	}
	var spans []span
	for name, msg := range raw {
		e, err := decodeEntry(msg)
		if err != nil {
			return nil, nil, fmt.Errorf("bad safetensors entry for %q: %w", name, err)
		}
		width, ok := dtypeBytes[e.Dtype]
		if !ok {
			return nil, nil, fmt.Errorf("tensor %q is %s; weights must be F32, F16 or BF16 (floating point)", name, e.Dtype)
		}
		if len(e.Offsets) != 2 {
			return nil, nil, fmt.Errorf("tensor %q: data_offsets must be [begin, end]", name)
		}
		size := 1
		for _, d := range e.Shape {
			if d < 0 || (d > 0 && size > math.MaxInt32/d) {
				return nil, nil, fmt.Errorf("tensor %q has an impossible shape %v", name, e.Shape)
			}
			size *= d
		}
		lo, hi := e.Offsets[0], e.Offsets[1]
		if lo < 0 || hi < lo || hi > len(data) {
			return nil, nil, fmt.Errorf("tensor %q: bytes [%d, %d) lie outside the %d bytes of data (is the file truncated?)", name, lo, hi, len(data))
		}
		if hi-lo != width*size {
			return nil, nil, fmt.Errorf("tensor %q: shape %v of %s needs %d bytes but its offsets span %d", name, e.Shape, e.Dtype, width*size, hi-lo)
		}
		t := Tensor{Name: name, Shape: e.Shape, Data: make([]float32, size)}
		decode(e.Dtype, data[lo:hi], t.Data)
		tensors = append(tensors, t)
		spans = append(spans, span{lo, hi, name})
	}
	// The data must be covered exactly, without holes or overlaps.
	sort.Slice(spans, func(i, j int) bool {
		return spans[i].lo < spans[j].lo || spans[i].lo == spans[j].lo && spans[i].hi < spans[j].hi
	})
	end := 0
	for _, s := range spans {
		if s.lo != end {
			return nil, nil, fmt.Errorf("tensor %q starts at byte %d but the previous tensor ends at %d (holes and overlaps are not allowed)", s.name, s.lo, end)
		}
		end = s.hi
	}
	if end != len(data) {
		return nil, nil, fmt.Errorf("%d bytes after the last tensor belong to none", len(data)-end)
	}
	sort.Slice(tensors, func(i, j int) bool { return tensors[i].Name < tensors[j].Name })
	return tensors, meta, nil
}

// dtypeBytes are the floating-point types Read takes, by their size.
var dtypeBytes = map[string]int{"F32": 4, "F16": 2, "BF16": 2}

// decode widens little-endian values of dtype in b into out.
func decode(dtype string, b []byte, out []float32) {
	for i := range out {
		switch dtype {
		case "F32":
			out[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
		case "BF16": // the top half of a float32
			out[i] = math.Float32frombits(uint32(binary.LittleEndian.Uint16(b[2*i:])) << 16)
		case "F16":
			out[i] = halfToFloat(binary.LittleEndian.Uint16(b[2*i:]))
		}
	}
}

// halfToFloat converts an IEEE 754 half-precision value exactly.
func halfToFloat(h uint16) float32 {
	sign := uint32(h>>15) << 31
	exp := uint32(h>>10) & 0x1f
	frac := uint32(h) & 0x3ff
	switch {
	case exp == 0x1f: // infinity or NaN
		return math.Float32frombits(sign | 0xff<<23 | frac<<13)
	case exp == 0 && frac == 0:
		return math.Float32frombits(sign)
	case exp == 0: // subnormal: frac · 2^-24
		v := float32(frac) / (1 << 24)
		if sign != 0 {
			v = -v
		}
		return v
	}
	return math.Float32frombits(sign | (exp+127-15)<<23 | frac<<13)
}

// floatToHalf rounds f to the nearest IEEE 754 half-precision value, ties
// to even; ok is false when a finite f rounds beyond the largest half
// (65,504). Infinities stay infinite and a NaN stays a NaN.
func floatToHalf(f float32) (h uint16, ok bool) {
	b := math.Float32bits(f)
	sign := uint16(b>>16) & 0x8000
	exp := int(b>>23) & 0xff
	frac := b & 0x7fffff
	if exp == 0xff {
		if frac != 0 {
			return sign | 0x7e00, true
		}
		return sign | 0x7c00, true
	}
	e := exp - 127 + 15 // the half's biased exponent
	if e <= 0 {
		// A half subnormal (or zero): the 24-bit significand in units of
		// 2^-24, rounded. Below 2^-25 (and float32 subnormals) that is 0.
		if e < -10 {
			return sign, true
		}
		m := frac | 1<<23
		shift := uint(14 - e)
		v := m >> shift
		rem, halfway := m&(1<<shift-1), uint32(1)<<(shift-1)
		if rem > halfway || rem == halfway && v&1 == 1 {
			v++ // may carry into the smallest normal, which is its encoding
		}
		return sign | uint16(v), true
	}
	v := uint32(e)<<10 | frac>>13
	if rem := frac & 0x1fff; rem > 0x1000 || rem == 0x1000 && v&1 == 1 {
		v++ // a carry into the exponent is the right rounding too
	}
	if v >= 0x7c00 {
		return sign | 0x7c00, false
	}
	return sign | uint16(v), true
}

// size is the number of values of a tensor of the given shape.
func size(shape []int) int {
	n := 1
	for _, d := range shape {
		n *= d
	}
	return n
}
