package nn

import (
	"bytes"
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func savedWeights(t testing.TB, m *Model) []byte {
	var b bytes.Buffer
	if err := m.SaveWeights(&b, map[string]string{"epochs": "3"}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestWeightsRoundTrip(t *testing.T) {
	for _, name := range SeedModels {
		m, _ := NewSeedModel(name)
		m.Init(7)
		b := savedWeights(t, m)
		m2, _ := NewSeedModel(name)
		meta, err := m2.LoadWeights(b)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if meta["model"] != name || meta["epochs"] != "3" {
			t.Errorf("%s: metadata %v", name, meta)
		}
		for i, p := range m.Params() {
			if !equalF(p.Value, m2.Params()[i].Value) {
				t.Errorf("%s: %s differs after a round trip", name, p.Name)
			}
		}
	}
	// Keras layouts in the file: the header says dense_1/kernel is [784, 32].
	m, _ := NewSeedModel("simple")
	b := savedWeights(t, m)
	if !bytes.Contains(b, []byte(`"dense_1/kernel":{"dtype":"F32","shape":[784,32]`)) {
		t.Errorf("header does not give dense_1/kernel as F32 [784,32]: %.200s", b[8:])
	}
	if n := binary.LittleEndian.Uint64(b); (8+n)%8 != 0 {
		t.Errorf("data starts at %d, not 8-byte aligned", 8+n)
	}
}

func TestLoadWeightsErrors(t *testing.T) {
	simple, _ := NewSeedModel("simple")
	good := savedWeights(t, simple)
	deep, _ := NewSeedModel("deep")
	rewrite := func(edit func([]Tensor) []Tensor) []byte {
		ts, meta, err := ReadSafetensors(good)
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		WriteSafetensors(&b, edit(ts), meta)
		return b.Bytes()
	}
	n := binary.LittleEndian.Uint64(good)
	cases := []struct {
		name string
		into *Model
		b    []byte
		want string
	}{
		{"missing tensor", simple, rewrite(func(ts []Tensor) []Tensor { return ts[1:] }), "lacks: dense_1/bias"},
		{"wrong shape", simple, rewrite(func(ts []Tensor) []Tensor {
			ts[1].Shape = []int{32, 784}
			return ts
		}), "has shape [32 784], model simple needs [784 32]"},
		{"unknown tensor", simple, rewrite(func(ts []Tensor) []Tensor {
			return append(ts, Tensor{Name: "dense_9/bias", Shape: []int{1}, Data: []float32{1}})
		}), "does not: dense_9/bias"},
		{"another model", deep, good, `holds weights for model "simple"`},
		{"truncated header", simple, good[:8+n/2], "truncated safetensors header"},
		{"truncated data", simple, good[:len(good)-100], "outside"},
		{"too short", simple, good[:5], "too short"},
		{"not safetensors", simple, []byte("PK\x03\x04 this is a zip file, not weights"), "header length"},
		{"extra bytes", simple, append(append([]byte(nil), good...), 0, 0, 0, 0), "belong to none"},
	}
	for _, tc := range cases {
		before := append([]float32(nil), tc.into.Params()[0].Value...)
		_, err := tc.into.LoadWeights(tc.b)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
		if !equalF(before, tc.into.Params()[0].Value) {
			t.Errorf("%s: a failed load changed the weights", tc.name)
		}
	}
}

func TestWeightsFileErrorsNameTheFile(t *testing.T) {
	dir := t.TempDir()
	m, _ := NewSeedModel("simple")
	path := filepath.Join(dir, "simple.safetensors")
	if err := m.SaveWeightsFile(path, nil); err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o644 {
		t.Errorf("weights file mode %v, want 0644 (a web server must read it)", st.Mode().Perm())
	}
	b, _ := os.ReadFile(path)
	os.WriteFile(path, b[:len(b)/2], 0o644)
	_, err := m.LoadWeightsFile(path)
	if err == nil || !strings.Contains(err.Error(), path) {
		t.Errorf("error %v does not name %s", err, path)
	}
}

func FuzzReadSafetensors(f *testing.F) {
	m, _ := NewModel("f", Shape{3}, -1, Dense(2, ReLU))
	m.Init(1)
	f.Add(savedWeights(f, m))
	f.Add([]byte("\x10\x00\x00\x00\x00\x00\x00\x00{}              "))
	f.Add([]byte("\x02\x00\x00\x00\x00\x00\x00\x00{}"))
	f.Fuzz(func(t *testing.T, b []byte) {
		ts, meta, err := ReadSafetensors(b)
		if err != nil {
			return
		}
		// Whatever decodes must survive a round trip unchanged.
		var out bytes.Buffer
		if err := WriteSafetensors(&out, ts, meta); err != nil {
			t.Fatalf("re-encoding a decoded file: %v", err)
		}
		ts2, _, err := ReadSafetensors(out.Bytes())
		if err != nil || len(ts2) != len(ts) {
			t.Fatalf("round trip: %v", err)
		}
		for i := range ts {
			if ts[i].Name != ts2[i].Name || !Shape(ts[i].Shape).Equal(ts2[i].Shape) || len(ts[i].Data) != len(ts2[i].Data) {
				t.Fatalf("round trip changed %s", ts[i].Name)
			}
		}
	})
}
