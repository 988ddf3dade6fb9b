package safetensors

import (
	"bytes"
	"slices"
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
	f.Fuzz(func(t *testing.T, b []byte) {
		ts, meta, err := Read(b)
		if err != nil {
			return
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
