package weights

import (
	"aeplay/nn"
	"aeplay/nn/catalog"
	"aeplay/nn/encoding/safetensors"
	"aeplay/nn/internal/nntest"
	"bytes"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func savedWeights(t testing.TB, m *nn.Model) []byte {
	var b bytes.Buffer
	if err := Write(&b, m, map[string]string{"epochs": "3"}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestWeightsRoundTrip(t *testing.T) {
	for _, name := range catalog.SeedNames() {
		m, _ := catalog.New(name)
		m.Init(7)
		b := savedWeights(t, m)
		m2, _ := catalog.New(name)
		meta, err := Read(b, m2)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if meta["model"] != name || meta["epochs"] != "3" {
			t.Errorf("%s: metadata %v", name, meta)
		}
		for i, p := range m.Params() {
			if !nntest.Equal(p.Value, m2.Params()[i].Value) {
				t.Errorf("%s: %s differs after a round trip", name, p.Name)
			}
		}
	}
	// Keras layouts in the file: the header says dense_1/kernel is [784, 32].
	m, _ := catalog.New("simple")
	b := savedWeights(t, m)
	if !bytes.Contains(b, []byte(`"dense_1/kernel":{"dtype":"F32","shape":[784,32]`)) {
		t.Errorf("header does not give dense_1/kernel as F32 [784,32]: %.200s", b[8:])
	}
	if n := binary.LittleEndian.Uint64(b); (8+n)%8 != 0 {
		t.Errorf("data starts at %d, not 8-byte aligned", 8+n)
	}
}

func TestLoadWeightsErrors(t *testing.T) {
	simple, _ := catalog.New("simple")
	good := savedWeights(t, simple)
	deep, _ := catalog.New("deep")
	rewrite := func(edit func([]safetensors.Tensor) []safetensors.Tensor) []byte {
		ts, meta, err := safetensors.Read(good)
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		safetensors.Write(&b, edit(ts), meta)
		return b.Bytes()
	}
	n := binary.LittleEndian.Uint64(good)
	cases := []struct {
		name string
		into *nn.Model
		b    []byte
		want string
	}{
		{"missing tensor", simple, rewrite(func(ts []safetensors.Tensor) []safetensors.Tensor { return ts[1:] }), "lacks: dense_1/bias"},
		{"wrong shape", simple, rewrite(func(ts []safetensors.Tensor) []safetensors.Tensor {
			ts[1].Shape = []int{32, 784}
			return ts
		}), "has shape [32 784], model simple needs [784 32]"},
		{"unknown tensor", simple, rewrite(func(ts []safetensors.Tensor) []safetensors.Tensor {
			return append(ts, safetensors.Tensor{Name: "dense_9/bias", Shape: []int{1}, Data: []float32{1}})
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
		_, err := Read(tc.b, tc.into)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
		if !nntest.Equal(before, tc.into.Params()[0].Value) {
			t.Errorf("%s: a failed load changed the weights", tc.name)
		}
	}
}

func TestWeightsFileErrorsNameTheFile(t *testing.T) {
	dir := t.TempDir()
	m, _ := catalog.New("simple")
	path := filepath.Join(dir, "simple.safetensors")
	if err := WriteFile(path, m, nil); err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o644 {
		t.Errorf("weights file mode %v, want 0644 (a web server must read it)", st.Mode().Perm())
	}
	b, _ := os.ReadFile(path)
	os.WriteFile(path, b[:len(b)/2], 0o644)
	_, err := ReadFile(path, m)
	if err == nil || !strings.Contains(err.Error(), path) {
		t.Errorf("error %v does not name %s", err, path)
	}
}

// TestFilesFromPythonLoad: what safetensors' save_file writes from a Keras 3
// model with default names — no metadata, layers named "dense", "dense_1"
// from 0 — loads into the seed's model (named from 1), every value in its
// place; so does a file without metadata under the seed's names.
func TestFilesFromPythonLoad(t *testing.T) {
	for _, name := range catalog.SeedNames() {
		m, _ := catalog.New(name)
		m.Init(11)
		var keras2, keras3 []safetensors.Tensor
		for _, p := range m.Params() {
			keras2 = append(keras2, safetensors.Tensor{Name: p.Name, Shape: p.Shape, Data: p.Value})
			l, rest, _ := strings.Cut(p.Name, "/")
			j := strings.LastIndexByte(l, '_')
			n, _ := strconv.Atoi(l[j+1:])
			k3 := l[:j]
			if n > 1 {
				k3 = fmt.Sprintf("%s_%d", l[:j], n-1)
			}
			keras3 = append(keras3, safetensors.Tensor{Name: k3 + "/" + rest, Shape: p.Shape, Data: p.Value})
		}
		for what, ts := range map[string][]safetensors.Tensor{"Keras 2 names": keras2, "Keras 3 names": keras3} {
			var b bytes.Buffer
			if err := safetensors.Write(&b, ts, nil); err != nil {
				t.Fatal(err)
			}
			m2, _ := catalog.New(name)
			meta, err := Read(b.Bytes(), m2)
			if err != nil {
				t.Fatalf("%s, %s, no metadata: %v", name, what, err)
			}
			if meta == nil {
				t.Errorf("%s, %s: nil metadata", name, what)
			}
			for i, p := range m.Params() {
				if !nntest.Equal(p.Value, m2.Params()[i].Value) {
					t.Errorf("%s, %s: %s differs", name, what, p.Name)
				}
			}
		}
	}
}
