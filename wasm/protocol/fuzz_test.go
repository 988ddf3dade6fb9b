package protocol

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"aeplay/internal/alloctest"
	"aeplay/nn/spec"
)

// keys are every field name a message has, so random objects hit them.
var keys = []string{"type", "id", "re", "baseURL", "model", "indices", "noise", "noiseSeed", "tag", "epochs", "batch", "lr",
	"samples", "valSamples", "seed", "workers", "codes", "x", "y", "a", "b", "steps", "pixels", "index", "name", "images",
	"labels", "bytes", "role", "summary", "params", "code", "codeLayer", "testDigits", "data", "kept", "notice", "layerNames",
	"layerTypes", "layerShapes", "layerParams", "weights", "side", "n", "originals", "recon", "codeSize", "noisy", "baseline",
	"what", "loaded", "total", "batches", "loss", "batchLoss", "samplesPerSec", "elapsed", "paused", "valLoss", "seconds",
	"memory", "stopped", "message", "fatal", "request", "points", "explained", "projection", "denoised", "names", "notes", "nums"}

// objectFrom makes a message of random fields and values of every type a
// structured clone carries, steered by b.
func objectFrom(b []byte) Fields {
	f := Fields{}
	next := func() byte {
		if len(b) == 0 {
			return 0
		}
		c := b[0]
		b = b[1:]
		return c
	}
	nums := []float64{0, 1, -1, 2, 0.5, 28, 784, 1e9, -1e9, 1 << 40, math.NaN(), math.Inf(1), math.Inf(-1), 3.5, 1e-300}
	for len(b) > 0 {
		k := keys[int(next())%len(keys)]
		n := int(next()) % 8
		switch next() % 9 {
		case 0:
			f[k] = nums[int(next())%len(nums)]
		case 1:
			f[k] = strings.Repeat("x", n*int(next()))
		case 2:
			f[k] = next()%2 == 0
		case 3:
			v := make([]float32, n*int(next()))
			for i := range v {
				v[i] = float32(nums[int(next())%len(nums)])
			}
			f[k] = v
		case 4:
			f[k] = make([]uint8, n*int(next()))
		case 5:
			v := make([]float64, n)
			for i := range v {
				v[i] = nums[int(next())%len(nums)]
			}
			f[k] = v
		case 6:
			f[k] = nil
		case 7:
			f[k] = Fields{"type": "nested"}
		case 8:
			f[k] = []string{"odd"}
		}
	}
	return f
}

// decoders are every decoder of the protocol, each with what must hold of
// what it accepts.
var decoders = map[string]func(Object) error{
	"calibration": func(o Object) error {
		m, err := DecodeCalibration(o)
		if err == nil && (m.Check() != nil || m.Fastest() < 1) {
			return fmt.Errorf("accepted a calibration out of range: %+v", m)
		}
		return err
	},
	"init":     func(o Object) error { _, err := DecodeInit(o); return err },
	"setModel": func(o Object) error { _, err := DecodeSetModel(o); return err },
	"grid request": func(o Object) error {
		m, err := DecodeGridRequest(o)
		if err == nil && (len(m.Indices) > MaxIndices || !(m.Noise >= 0 && m.Noise <= 2) || anyNegative(m.Indices)) {
			panic("accepted an out-of-range grid request")
		}
		return err
	},
	"train": func(o Object) error {
		m, err := DecodeTrainConfig(o)
		if err == nil && m.Validate() != nil {
			panic("accepted an invalid run")
		}
		return err
	},
	"decode": func(o Object) error {
		m, err := DecodeDecodeRequest(o)
		if err == nil && (len(m.Codes) == 0 || len(m.Codes) > MaxCodes || !finite(m.Codes)) {
			panic("accepted bad codes")
		}
		return err
	},
	"decodePoint": func(o Object) error {
		m, err := DecodeDecodePoint(o)
		if err == nil && (math.IsNaN(m.X) || math.IsInf(m.Y, 0)) {
			panic("accepted a point that is not one")
		}
		return err
	},
	"interpolate": func(o Object) error {
		m, err := DecodeInterpolate(o)
		if err == nil && (m.A < 0 || m.B < 0 || m.Steps < 2 || m.Steps > 32) {
			panic("accepted a bad interpolation")
		}
		return err
	},
	"encode": func(o Object) error {
		m, err := DecodeEncode(o)
		if err == nil && len(m.Pixels) != DrawnPixels {
			panic("accepted a drawing of the wrong size")
		}
		return err
	},
	"peek": func(o Object) error {
		m, err := DecodePeek(o)
		if err == nil && m.Index < 0 {
			panic("accepted a negative index")
		}
		return err
	},
	"compare": func(o Object) error {
		m, err := DecodeCompareRequest(o)
		if err == nil && (len(m.Indices) == 0 || len(m.Indices) > MaxIndices || anyNegative(m.Indices)) {
			panic("accepted bad digits")
		}
		return err
	},
	"data":     func(o Object) error { _, err := DecodeDataFile(o); return err },
	"weights":  func(o Object) error { _, err := DecodeWeightsFile(o); return err },
	"connect":  func(o Object) error { _, err := DecodeConnect(o); return err },
	"ready":    func(o Object) error { _, err := DecodeReady(o); return err },
	"grid":     func(o Object) error { _, err := DecodeGrid(o); return err },
	"download": func(o Object) error { _, err := DecodeDownload(o); return err },
	"progress": func(o Object) error { _, err := DecodeProgress(o); return err },
	"epoch":    func(o Object) error { _, err := DecodeEpoch(o); return err },
	"done":     func(o Object) error { _, err := DecodeDone(o); return err },
	"error":    func(o Object) error { _, err := DecodeError(o); return err },
	"decoded":  func(o Object) error { _, err := DecodeDecoded(o); return err },
	"latent":   func(o Object) error { _, err := DecodeLatent(o); return err },
	"encoded":  func(o Object) error { _, err := DecodeEncoded(o); return err },
	"compared": func(o Object) error { _, err := DecodeCompare(o); return err },
	"layersRequest": func(o Object) error {
		m, err := DecodeLayersRequest(o)
		if err == nil && (m.Pixels == nil && m.Index < 0 || m.Pixels != nil && len(m.Pixels) != DrawnPixels) {
			panic("accepted a bad digit")
		}
		return err
	},
	"layers": func(o Object) error { _, err := DecodeLayers(o); return err },
	"tsne":   func(o Object) error { _, err := DecodeTSNE(o); return err },
	"header": func(o Object) error {
		if ID(o) < 0 || Re(o) < 0 {
			panic("a negative id")
		}
		Type(o)
		return nil
	},
}

func anyNegative(x []int) bool {
	for _, v := range x {
		if v < 0 {
			return true
		}
	}
	return false
}

// FuzzDecoders: no object, however odd, makes a decoder panic or allocate
// more than a bounded multiple of its size, and what one accepts is in
// range.
func FuzzDecoders(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{5, 3, 0, 5, 1, 2, 0, 10})
	f.Add([]byte("a decoder must not panic on any of these bytes"))
	f.Fuzz(func(t *testing.T, b []byte) {
		o := objectFrom(b)
		for name, dec := range decoders {
			func() {
				defer func() {
					if r := recover(); r != nil {
						t.Fatalf("%s panicked on %v: %v", name, o, r)
					}
				}()
				in := roundTrip(o)
				// A decoder copies at most what it is given: a bounded
				// multiple of the object's bytes.
				alloctest.Check(t, name, len(b), 64, func() { dec(in) })
			}()
		}
	})
}

// TestOutOfRangeRequestsAreErrors: values no page sends are refused, each
// with an error.
func TestOutOfRangeRequestsAreErrors(t *testing.T) {
	many := make([]float64, MaxIndices+1)
	for name, c := range map[string]struct {
		dec func(Object) error
		f   Fields
	}{
		"negative grid index":    {decoders["grid request"], Fields{"indices": []float64{3, -1}}},
		"fractional grid index":  {decoders["grid request"], Fields{"indices": []float64{1.5}}},
		"too many digits":        {decoders["grid request"], Fields{"indices": many}},
		"grid noise":             {decoders["grid request"], Fields{"indices": []float64{1}, "noise": 9}},
		"negative peek":          {decoders["peek"], Fields{"index": -2}},
		"peek without an index":  {decoders["peek"], Fields{}},
		"interpolate one step":   {decoders["interpolate"], Fields{"a": 1, "b": 2, "steps": 1}},
		"interpolate negative":   {decoders["interpolate"], Fields{"a": -1, "b": 2, "steps": 8}},
		"nan code":               {decoders["decode"], Fields{"codes": []float32{1, float32(math.NaN())}}},
		"no codes":               {decoders["decode"], Fields{"codes": []float32{}}},
		"infinite point":         {decoders["decodePoint"], Fields{"x": math.Inf(1), "y": 0}},
		"short drawing":          {decoders["encode"], Fields{"pixels": []float32{0.5}}},
		"bright drawing":         {decoders["encode"], Fields{"pixels": append(make([]float32, 783), 2)}},
		"compare nothing":        {decoders["compare"], Fields{}},
		"data without images":    {decoders["data"], Fields{"name": "x"}},
		"empty weights":          {decoders["weights"], Fields{"type": TImport, "name": "x"}},
		"long model":             {decoders["setModel"], Fields{"model": strings.Repeat("m", spec.MaxText+1)}},
		"no model":               {decoders["setModel"], Fields{}},
		"unknown role":           {decoders["connect"], Fields{"role": "boss"}},
		"string where a number":  {decoders["peek"], Fields{"index": "3"}},
		"train huge batch":       {decoders["train"], Fields{"epochs": 1, "batch": 1e9, "lr": 0.001, "samples": 10}},
		"grid with a nested obj": {decoders["grid request"], Fields{"indices": Fields{"type": "x"}}},
	} {
		if err := c.dec(roundTrip(c.f)); err == nil {
			t.Errorf("%s: accepted %v", name, c.f)
		}
	}
}
