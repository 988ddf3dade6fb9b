package weights

import (
	"aeplay/nn"
	"aeplay/nn/encoding/safetensors"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// Write writes the model's parameters as safetensors, named and laid
// out as Keras names and lays them out, with meta (model name, epochs, val
// loss…) in the file's metadata. "model" is always set to the model's name.
func Write(w io.Writer, m *nn.Model, meta map[string]string) error {
	md := map[string]string{"model": m.Name, "format": "keras-layout"}
	for k, v := range meta {
		md[k] = v
	}
	var ts []safetensors.Tensor
	for _, p := range m.Params() {
		ts = append(ts, safetensors.Tensor{Name: p.Name, Shape: p.Shape, Data: p.Value})
	}
	return safetensors.Write(w, ts, md)
}

// Read reads safetensors weights into the model. Every parameter
// must be present with its exact shape, and no other tensor may be: a file
// for another model is an error, not a partial load. On error the model's
// weights are unchanged.
func Read(b []byte, m *nn.Model) (meta map[string]string, err error) {
	ts, meta, err := safetensors.Read(b)
	if err != nil {
		return nil, err
	}
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

func otherModel(meta map[string]string, m *nn.Model) string {
	if name := meta["model"]; name != "" && name != m.Name {
		return fmt.Sprintf(" (the file holds weights for model %q)", name)
	}
	return ""
}

// WriteFile writes the weights to path atomically: a crash midway
// leaves the previous file intact.
func WriteFile(path string, m *nn.Model, meta map[string]string) error {
	var buf bytes.Buffer
	if err := Write(&buf, m, meta); err != nil {
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
