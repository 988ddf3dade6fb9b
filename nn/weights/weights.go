package weights

import (
	"aeplay/nn"
	"aeplay/nn/encoding/safetensors"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Write writes the model's parameters as safetensors, named and laid
// out as Keras names and lays them out, with meta (model name, epochs, val
// loss…) in the file's metadata. "model" is always set to the model's name
// and "spec" to its spec's text when it has one, so that a reader of the
// file can rebuild the architecture. The values are stored as F32.
func Write(w io.Writer, m *nn.Model, meta map[string]string) error {
	return WriteAs(w, m, meta, "F32")
}

// WriteAs is Write with the values stored as dtype, "F32" or "F16" (the
// site's pretrained files: half the bytes to download, each value rounded
// to the nearest half; see the README's Weights format).
func WriteAs(w io.Writer, m *nn.Model, meta map[string]string, dtype string) error {
	md := map[string]string{"model": m.Name, "format": "keras-layout"}
	if m.Spec != "" {
		md["spec"] = m.Spec
	}
	for k, v := range meta {
		md[k] = v
	}
	var ts []safetensors.Tensor
	for _, p := range m.Params() {
		ts = append(ts, safetensors.Tensor{Name: p.Name, Shape: p.Shape, Data: p.Value})
	}
	return safetensors.WriteAs(w, dtype, ts, md)
}

// Read reads safetensors weights into the model. Every parameter
// must be present with its exact shape, and no other tensor may be: a file
// for another model is an error, not a partial load. Tensors may come in
// any order, as F32, F16 or BF16, with or without metadata (the map
// returned is never nil), and under Keras 3's default layer names as well
// as Keras 2's (see keras3Names). On error the model's weights are
// unchanged.
func Read(b []byte, m *nn.Model) (meta map[string]string, err error) {
	ts, meta, err := safetensors.Read(b)
	if err != nil {
		return nil, err
	}
	keras3Names(ts, m)
	byName := map[string]safetensors.Tensor{}
	for _, t := range ts {
		byName[t.Name] = t
	}
	var missing []string
	for _, p := range m.Params() {
		t, ok := byName[p.Name]
		if !ok {
			missing = append(missing, p.Name)
			continue
		}
		if !nn.Shape(t.Shape).Equal(p.Shape) {
			return nil, fmt.Errorf("tensor %s has shape %v, model %s needs %v%s", p.Name, t.Shape, m.Name, p.Shape, otherModel(meta, m))
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("model %s needs tensors the file lacks: %s%s", m.Name, strings.Join(missing, ", "), otherModel(meta, m))
	}
	if len(ts) != len(m.Params()) {
		var extra []string
		for _, t := range ts {
			if m.Param(t.Name) == nil {
				extra = append(extra, t.Name)
			}
		}
		return nil, fmt.Errorf("the file has tensors model %s does not: %s%s", m.Name, strings.Join(extra, ", "), otherModel(meta, m))
	}
	for _, p := range m.Params() {
		copy(p.Value, byName[p.Name].Data)
	}
	return meta, nil
}

// keras3Names renames a file's layers from Keras 3's default names, which
// count each layer type from 0 ("dense", "dense_1", …), to Keras 2's, which
// the seed's models and this project use and which count from 1
// ("dense_1", "dense_2", …). Both number layers in creation order, so the
// n-th Dense layer is the same layer under either name. It applies to a
// layer type only when the file has a layer named by the type alone and
// the model has none: a Keras 2 file is never touched.
func keras3Names(ts []safetensors.Tensor, m *nn.Model) {
	modelLayers := map[string]bool{}
	for _, p := range m.Params() {
		modelLayers[layerOf(p.Name)] = true
	}
	shift := map[string]bool{} // layer types named from 0 in the file
	for _, t := range ts {
		if l := layerOf(t.Name); !modelLayers[l] && modelLayers[l+"_1"] {
			shift[l] = true // a bare "dense" where the model has "dense_1"
		}
	}
	if len(shift) == 0 {
		return
	}
	for i, t := range ts {
		l := layerOf(t.Name)
		typ, n := l, 0
		if j := strings.LastIndexByte(l, '_'); j >= 0 {
			if k, err := strconv.Atoi(l[j+1:]); err == nil && k >= 0 {
				typ, n = l[:j], k
			}
		}
		if shift[typ] {
			ts[i].Name = fmt.Sprintf("%s_%d%s", typ, n+1, t.Name[len(l):])
		}
	}
}

// layerOf is the layer part of a tensor's name ("dense_1" of
// "dense_1/kernel").
func layerOf(name string) string {
	if i := strings.IndexByte(name, '/'); i >= 0 {
		return name[:i]
	}
	return name
}

func otherModel(meta map[string]string, m *nn.Model) string {
	if name := meta["model"]; name != "" && name != m.Name {
		return fmt.Sprintf(" (the file holds weights for model %q)", name)
	}
	return ""
}

// WriteFile writes the weights to path atomically: a crash midway
// leaves the previous file intact.
func WriteFile(path string, m *nn.Model, meta map[string]string) error {
	return WriteFileAs(path, m, meta, "F32")
}

// WriteFileAs is WriteFile with the values stored as dtype (WriteAs).
func WriteFileAs(path string, m *nn.Model, meta map[string]string, dtype string) error {
	var buf bytes.Buffer
	if err := WriteAs(&buf, m, meta, dtype); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".weights-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o644); err != nil { // CreateTemp makes files only their owner reads
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(buf.Bytes()); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// ReadFile reads weights from path into m; errors name the file.
func ReadFile(path string, m *nn.Model) (map[string]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	meta, err := Read(b, m)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return meta, nil
}
