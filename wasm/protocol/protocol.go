package protocol

import (
	"fmt"
	"math"
)

// Object is what a message is read from: a JavaScript object (through
// syscall/js) or, in tests, a Go map.
type Object interface {
	// Get returns the field as a Go value: float64 for numbers, string,
	// bool, []float32 for a Float32Array, []uint8 for a Uint8Array,
	// []float64 for an array of numbers, Object for a nested object, nil
	// when missing.
	Get(key string) any
}

// Fields is a message as it is sent: the same value types as Object.Get
// returns (numbers may be any Go integer or float type).
type Fields map[string]any

// With returns a copy of f with key set to v.
func (f Fields) With(key string, v any) Fields {
	g := make(Fields, len(f)+1)
	for k, x := range f {
		g[k] = x
	}
	g[key] = v
	return g
}

// Get implements Object, so tests can decode what they encode.
func (f Fields) Get(key string) any {
	switch v := f[key].(type) {
	case int:
		return float64(v)
	case int64:
		return float64(v)
	case uint64:
		return float64(v)
	case float32:
		return float64(v)
	case Fields:
		return Object(v)
	default:
		return v
	}
}

// Message types.
const (
	TInit     = "init"
	TSetModel = "setModel"
	TGrid     = "grid"
	TTrain    = "train"
	TPause    = "pause"
	TResume   = "resume"
	TStep     = "step"
	TStop     = "stop"
	TReset    = "reset"

	TReady    = "ready"
	TDownload = "download"
	TProgress = "progress"
	TEpoch    = "epoch"
	TDone     = "done"
	TError    = "error"
)

// Type returns a message's type field.
func Type(o Object) string {
	s, _ := o.Get("type").(string)
	return s
}

// reader decodes fields, remembering the first problem.
type reader struct {
	o   Object
	err error
}

func (r *reader) fail(key, want string) {
	if r.err == nil {
		r.err = fmt.Errorf("protocol: field %q: want %s, got %v", key, want, r.o.Get(key))
	}
}

func (r *reader) num(key string, def float64) float64 {
	switch v := r.o.Get(key).(type) {
	case nil:
		return def
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			r.fail(key, "a finite number")
		}
		return v
	}
	r.fail(key, "a number")
	return def
}

func (r *reader) int(key string, def int) int {
	v := r.num(key, float64(def))
	if v != math.Trunc(v) || math.Abs(v) > 1<<31 {
		r.fail(key, "an integer")
		return def
	}
	return int(v)
}

func (r *reader) str(key string) string {
	switch v := r.o.Get(key).(type) {
	case nil:
		return ""
	case string:
		return v
	}
	r.fail(key, "a string")
	return ""
}

func (r *reader) bool(key string) bool {
	switch v := r.o.Get(key).(type) {
	case nil:
		return false
	case bool:
		return v
	}
	r.fail(key, "a boolean")
	return false
}

func (r *reader) floats(key string) []float32 {
	switch v := r.o.Get(key).(type) {
	case nil:
		return nil
	case []float32:
		return v
	}
	r.fail(key, "a Float32Array")
	return nil
}

func (r *reader) bytes(key string) []uint8 {
	switch v := r.o.Get(key).(type) {
	case nil:
		return nil
	case []uint8:
		return v
	}
	r.fail(key, "a Uint8Array")
	return nil
}

func (r *reader) ints(key string) []int {
	switch v := r.o.Get(key).(type) {
	case nil:
		return nil
	case []float64:
		out := make([]int, len(v))
		for i, x := range v {
			if x != math.Trunc(x) || x < 0 || x > 1<<31 {
				r.fail(key, "an array of indices")
				return nil
			}
			out[i] = int(x)
		}
		return out
	}
	r.fail(key, "an array of numbers")
	return nil
}

func (r *reader) numbers(key string) []float64 {
	switch v := r.o.Get(key).(type) {
	case nil:
		return nil
	case []float64:
		return v
	}
	r.fail(key, "an array of numbers")
	return nil
}
