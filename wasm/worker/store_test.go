package worker

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"aeplay/wasm/protocol"
)

// memStore is a Store in memory; fail makes Put fail, as a full disk would.
type memStore struct {
	files map[string][]byte
	fail  error
}

func (s *memStore) Get(model string) ([]byte, error) { return s.files[model], nil }
func (s *memStore) Put(model string, b []byte) error {
	if s.fail != nil {
		return s.fail
	}
	s.files[model] = append([]byte(nil), b...)
	return nil
}
func (s *memStore) Delete(model string) error { delete(s.files, model); return nil }

func trainBriefly(t *testing.T, e *Engine) {
	t.Helper()
	if _, err := e.StartTraining(protocol.TrainConfig{Model: e.name, Epochs: 1, Batch: 32, LR: 0.01, Samples: 64, ValSamples: 32, Seed: 2}, nil); err != nil {
		t.Fatal(err)
	}
	for e.Training() {
		if _, _, _, err := e.Train(10 * time.Millisecond); err != nil {
			t.Fatal(err)
		}
	}
}

// TestKeptModelSurvivesANewEngine: weights trained in one engine (one page
// load) and kept are what the next engine shows, for that model only;
// Reset forgets them; a damaged kept file is discarded with a notice.
func TestKeptModelSurvivesANewEngine(t *testing.T) {
	f, store := site(t), &memStore{files: map[string][]byte{}}
	e := NewEngine(f)
	e.SetStore(store)
	e.Init("simple")
	if err := e.Keep(); err != nil || len(store.files) != 0 {
		t.Fatalf("pretrained weights were kept: %v %d", err, len(store.files))
	}
	trainBriefly(t, e)
	if err := e.Keep(); err != nil {
		t.Fatal(err)
	}
	want, _ := e.Grid(protocol.GridRequest{Indices: []int{0, 1}})

	e2 := NewEngine(f)
	e2.SetStore(store)
	r, err := e2.Init("simple")
	if err != nil {
		t.Fatal(err)
	}
	if !r.Kept || r.Weights["source"] != "trained here" || r.Weights["epochs"] != "1" {
		t.Errorf("a new engine shows %+v", r.Weights)
	}
	got, _ := e2.Grid(protocol.GridRequest{Indices: []int{0, 1}})
	if !slices.Equal(got.Recon, want.Recon) {
		t.Error("the kept model predicts differently")
	}
	if r, _ := e2.SetModel("deep"); r.Kept || r.Weights["source"] != "pretrained" {
		t.Errorf("deep shows %v, kept %v", r.Weights["source"], r.Kept)
	}
	// The comparison uses the kept simple model.
	c, err := e2.Compare([]int{0, 1})
	if err != nil || c.Rows[0].Note != "trained here" {
		t.Errorf("compare's simple row: %+v (%v)", c.Rows[0], err)
	}
	e2.SetModel("simple")
	if r, err := e2.Reset(); err != nil || r.Kept || r.Weights["source"] != "pretrained" || store.files["simple"] != nil {
		t.Errorf("after Reset: %v kept %v, store %d files (%v)", r.Weights["source"], r.Kept, len(store.files), err)
	}

	store.files["conv"] = []byte("\x10\x00\x00\x00\x00\x00\x00\x00{\"a\":1}         ")
	r, err = e2.SetModel("conv")
	if err != nil || r.Kept || r.Weights["source"] != "pretrained" || !strings.Contains(r.Notice, "damaged") || store.files["conv"] != nil {
		t.Errorf("damaged kept file: %+v notice %q (%v)", r.Weights["source"], r.Notice, err)
	}

	store.fail = errors.New("QuotaExceededError")
	trainBriefly(t, e2)
	if err := e2.Keep(); err == nil || !strings.Contains(err.Error(), "QuotaExceededError") || !strings.Contains(err.Error(), "save it as a file") {
		t.Errorf("a failed Put: %v", err)
	}
}
