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

// Write writes tensors (in name order) and metadata to w.
func Write(w io.Writer, tensors []Tensor, meta map[string]string) error {
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
		hb.WriteString(`:{"dtype":"F32","shape":[`)
		for i, d := range t.Shape {
			if i > 0 {
				hb.WriteByte(',')
			}
			hb.WriteString(strconv.Itoa(d))
		}
		fmt.Fprintf(&hb, `],"data_offsets":[%d,%d]}`, off, off+4*len(t.Data))
		off += 4 * len(t.Data)
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
			binary.LittleEndian.PutUint32(data, math.Float32bits(v))
			data = data[4:]
		}
	}
	_, err := w.Write(buf)
	return err
}

// Read decodes a whole safetensors file of float32 tensors.
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
	if m, ok := raw["__metadata__"]; ok {
		obj, ok := m.(map[string]any)
		if !ok {
			return nil, nil, errors.New("bad safetensors metadata: it must be an object of strings")
		}
		meta = map[string]string{}
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
		if e.Dtype != "F32" {
			return nil, nil, fmt.Errorf("tensor %q is %s; only F32 (float32) weights are supported", name, e.Dtype)
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
		if hi-lo != 4*size {
			return nil, nil, fmt.Errorf("tensor %q: shape %v needs %d bytes but its offsets span %d", name, e.Shape, 4*size, hi-lo)
		}
		t := Tensor{Name: name, Shape: e.Shape, Data: make([]float32, size)}
		for i := range t.Data {
			t.Data[i] = math.Float32frombits(binary.LittleEndian.Uint32(data[lo+4*i:]))
		}
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

// size is the number of values of a tensor of the given shape.
func size(shape []int) int {
	n := 1
	for _, d := range shape {
		n *= d
	}
	return n
}
