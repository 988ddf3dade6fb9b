package protocol

import (
	"errors"
	"fmt"

	"aeplay/nn/spec"
)

// Requests are the messages the page sends its leading worker. Each
// carries an id (the page's, increasing), and every reply to it — its
// result, or an Error — carries that id back as "re", so that the view that
// asked always learns how its request ended. Messages nobody asked for
// (progress of a run, epochs, download progress) have re 0.

// Limits on what a request may carry: the page never sends more, and a
// malformed message must not make the worker allocate or compute much.
const (
	MaxIndices  = 256       // test digits in one grid, comparison or peek
	MaxCodes    = 1 << 16   // code values in one decode request
	MaxName     = 256       // bytes of a model or file name
	MaxFile     = 256 << 20 // bytes of an uploaded file (weights or images)
	DrawnPixels = 784       // a drawing is 28×28
)

// ID returns the id of a request (0 when it has none).
func ID(o Object) int {
	r := reader{o: o}
	id := r.int("id", 0)
	if r.err != nil || id < 0 {
		return 0
	}
	return id
}

// Re returns the id of the request a reply answers (0: nobody asked).
func Re(o Object) int {
	r := reader{o: o}
	re := r.int("re", 0)
	if r.err != nil || re < 0 {
		return 0
	}
	return re
}

// Control is a request with no fields: pause, resume, step, stop, reset,
// export, latent.
type Control struct{ Type string }

func (m Control) Fields() Fields { return Fields{"type": m.Type} }

func DecodeControl(o Object) (Control, error) { return Control{Type: Type(o)}, nil }

// name reads a short string field.
func (r *reader) name(key string) string {
	s := r.str(key)
	if len(s) > MaxName {
		r.setErr(fmt.Errorf("protocol: field %q: %d bytes, more than %d", key, len(s), MaxName))
		return ""
	}
	return s
}

// model reads a model: a catalogue name or a spec's text (nn/spec), at
// most spec.MaxText bytes.
func (r *reader) model(key string) string {
	s := r.str(key)
	if len(s) > spec.MaxText {
		r.setErr(fmt.Errorf("protocol: field %q: %d bytes, more than a model's %d", key, len(s), spec.MaxText))
		return ""
	}
	return s
}

func (r *reader) setErr(err error) {
	if r.err == nil {
		r.err = err
	}
}

// indices reads an array of test-digit indices, at most MaxIndices.
func (r *reader) indices(key string) []int {
	if v, ok := r.o.Get(key).([]float64); ok && len(v) > MaxIndices {
		r.setErr(fmt.Errorf("protocol: field %q: %d indices, more than %d", key, len(v), MaxIndices))
		return nil
	}
	return r.ints(key)
}

func DecodeInit(o Object) (Init, error) {
	r := reader{o: o}
	m := Init{BaseURL: r.str("baseURL"), Model: r.model("model")}
	return m, r.err
}

func DecodeSetModel(o Object) (SetModel, error) {
	r := reader{o: o}
	m := SetModel{Model: r.model("model")}
	if r.err == nil && m.Model == "" {
		return m, errors.New("protocol: setModel: no model named")
	}
	return m, r.err
}

func DecodeGridRequest(o Object) (GridRequest, error) {
	r := reader{o: o}
	m := GridRequest{Indices: r.indices("indices"), Noise: r.num("noise", 0), NoiseKind: r.name("noiseKind"), NoiseSeed: r.int("noiseSeed", 0), Tag: r.name("tag")}
	if r.err != nil {
		return m, r.err
	}
	if err := CheckNoise(m.NoiseKind, m.Noise); err != nil {
		return m, fmt.Errorf("protocol: grid: %v", err)
	}
	if m.NoiseSeed < 0 {
		return m, fmt.Errorf("protocol: grid: noise seed %d is negative", m.NoiseSeed)
	}
	return m, nil
}

// CheckNoise reports a noise no run can use: σ of Gaussian noise lies in
// [0, 2], masking's probability in [0, 1].
func CheckNoise(kind string, level float64) error {
	switch {
	case kind != "" && kind != spec.MaskNoise:
		return fmt.Errorf("noise kind %q is not Gaussian (\"\") or %s", kind, spec.MaskNoise)
	case kind == spec.MaskNoise && !(level >= 0 && level <= 1):
		return fmt.Errorf("masking probability must be between 0 and 1, not %v", level)
	case !(level >= 0 && level <= 2):
		return fmt.Errorf("noise σ must be between 0 and 2, not %v", level)
	}
	return nil
}

// DecodeRequest asks the decoder for the images of n codes, one after
// another.
type DecodeRequest struct{ Codes []float32 }

func (m DecodeRequest) Fields() Fields { return Fields{"type": TDecode, "codes": m.Codes} }

func DecodeDecodeRequest(o Object) (DecodeRequest, error) {
	r := reader{o: o}
	m := DecodeRequest{Codes: r.floats("codes")}
	switch {
	case r.err != nil:
		return m, r.err
	case len(m.Codes) == 0 || len(m.Codes) > MaxCodes:
		return m, fmt.Errorf("protocol: decode: %d code values; a request has 1 to %d", len(m.Codes), MaxCodes)
	case !finite(m.Codes):
		return m, errors.New("protocol: decode: codes must be finite numbers")
	}
	return m, nil
}

// DecodePoint asks for the digit at a point of the latent map.
type DecodePoint struct{ X, Y float64 }

func (m DecodePoint) Fields() Fields { return Fields{"type": TDecodePoint, "x": m.X, "y": m.Y} }

func DecodeDecodePoint(o Object) (DecodePoint, error) {
	r := reader{o: o}
	return DecodePoint{X: r.num("x", 0), Y: r.num("y", 0)}, r.err
}

// Interpolate asks for Steps decoded codes evenly between those of test
// digits A and B.
type Interpolate struct{ A, B, Steps int }

func (m Interpolate) Fields() Fields {
	return Fields{"type": TInterpolate, "a": m.A, "b": m.B, "steps": m.Steps}
}

func DecodeInterpolate(o Object) (Interpolate, error) {
	r := reader{o: o}
	m := Interpolate{A: r.int("a", -1), B: r.int("b", -1), Steps: r.int("steps", 0)}
	switch {
	case r.err != nil:
		return m, r.err
	case m.A < 0 || m.B < 0:
		return m, fmt.Errorf("protocol: interpolate: test digits %d and %d: indices are not negative", m.A, m.B)
	case m.Steps < 2 || m.Steps > 32:
		return m, fmt.Errorf("protocol: interpolate: %d steps; it takes 2 to 32", m.Steps)
	}
	return m, nil
}

// Encode asks what the model makes of a drawn digit: DrawnPixels values
// in [0, 1].
type Encode struct{ Pixels []float32 }

func (m Encode) Fields() Fields { return Fields{"type": TEncode, "pixels": m.Pixels} }

func DecodeEncode(o Object) (Encode, error) {
	r := reader{o: o}
	m := Encode{Pixels: r.floats("pixels")}
	if r.err != nil {
		return m, r.err
	}
	if len(m.Pixels) != DrawnPixels {
		return m, fmt.Errorf("protocol: encode: a drawing has %d pixels, not %d", DrawnPixels, len(m.Pixels))
	}
	for _, v := range m.Pixels {
		if !(v >= 0 && v <= 1) {
			return m, errors.New("protocol: encode: a drawing's pixels lie in [0, 1]")
		}
	}
	return m, nil
}

// Peek asks for one test digit and its reconstruction (a hovered map point).
type Peek struct{ Index int }

func (m Peek) Fields() Fields { return Fields{"type": TPeek, "index": m.Index} }

func DecodePeek(o Object) (Peek, error) {
	r := reader{o: o}
	m := Peek{Index: r.int("index", -1)}
	if r.err == nil && m.Index < 0 {
		return m, fmt.Errorf("protocol: peek: test digit %d: indices are not negative", m.Index)
	}
	return m, r.err
}

// CompareRequest asks for every model's reconstruction of the same digits.
type CompareRequest struct{ Indices []int }

func (m CompareRequest) Fields() Fields {
	idx := make([]float64, len(m.Indices))
	for i, v := range m.Indices {
		idx[i] = float64(v)
	}
	return Fields{"type": TCompare, "indices": idx}
}

func DecodeCompareRequest(o Object) (CompareRequest, error) {
	r := reader{o: o}
	m := CompareRequest{Indices: r.indices("indices")}
	if r.err == nil && len(m.Indices) == 0 {
		return m, errors.New("protocol: compare: no digits named")
	}
	return m, r.err
}

// DataFile is the reader's own IDX data: images, and optionally labels.
type DataFile struct {
	Name           string
	Images, Labels []uint8
}

func (m DataFile) Fields() Fields {
	return Fields{"type": TData, "name": m.Name, "images": m.Images, "labels": m.Labels}
}

func DecodeDataFile(o Object) (DataFile, error) {
	r := reader{o: o}
	m := DataFile{Name: r.name("name"), Images: r.bytes("images"), Labels: r.bytes("labels")}
	switch {
	case r.err != nil:
		return m, r.err
	case len(m.Images) == 0:
		return m, errors.New("protocol: data: no images file")
	case len(m.Images) > MaxFile || len(m.Labels) > MaxFile:
		return m, fmt.Errorf("protocol: data: a file over %d MB", MaxFile>>20)
	}
	return m, nil
}

func DecodeWeightsFile(o Object) (WeightsFile, error) {
	r := reader{o: o}
	m := WeightsFile{Type: r.str("type"), Name: r.name("name"), Bytes: r.bytes("bytes")}
	switch {
	case r.err != nil:
		return m, r.err
	case len(m.Bytes) == 0:
		return m, fmt.Errorf("protocol: %s: no file contents", m.Type)
	case len(m.Bytes) > MaxFile:
		return m, fmt.Errorf("protocol: %s: a file over %d MB", m.Type, MaxFile>>20)
	}
	return m, nil
}

// Connect gives a worker a port to another worker (the port itself travels
// beside the fields): as the leader, a follower to share runs with; as a
// follower, the leader to serve.
type Connect struct{ Role string }

func DecodeConnect(o Object) (Connect, error) {
	r := reader{o: o}
	m := Connect{Role: r.name("role")}
	if r.err == nil && m.Role != RoleLeader && m.Role != RoleFollower {
		return m, fmt.Errorf("protocol: connect: unknown role %q", m.Role)
	}
	return m, r.err
}

func finite(x []float32) bool {
	for _, v := range x {
		if v-v != 0 { // NaN or ±Inf
			return false
		}
	}
	return true
}
