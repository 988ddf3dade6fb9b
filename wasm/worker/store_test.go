package worker

import (
	"errors"
	"math"
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
	// Reset shows the pretrained weights and sets the kept ones aside as
	// the previous model; Restore brings them back, and undoes itself.
	e2.SetModel("simple")
	if r, err := e2.Reset(); err != nil || r.Kept || r.Weights["source"] != "pretrained" || store.files["simple"] != nil || !r.Previous {
		t.Errorf("after Reset: %v kept %v previous %v, store %d files (%v)", r.Weights["source"], r.Kept, r.Previous, len(store.files), err)
	}
	if r, err := e2.Restore(); err != nil || !r.Kept || r.Weights["source"] != "trained here" || store.files[previousKey("simple")] != nil {
		t.Errorf("after Restore: %v kept %v (%v)", r.Weights["source"], r.Kept, err)
	} else if got, _ := e2.Grid(protocol.GridRequest{Indices: []int{0, 1}}); !slices.Equal(got.Recon, want.Recon) {
		t.Error("the restored model predicts differently")
	}

	damaged := []byte("\x10\x00\x00\x00\x00\x00\x00\x00{\"a\":1}         ")
	store.files["conv"] = damaged
	// The comparison says it could not read it, and leaves it where it is.
	if c, err := e2.Compare([]int{0, 1}); err != nil || !strings.Contains(c.Rows[2].Note, "could not be read") || store.files["conv"] == nil {
		t.Errorf("compare with a damaged kept conv model: %+v (%v)", c.Rows[2], err)
	}
	r, err = e2.SetModel("conv")
	if err != nil || r.Kept || r.Weights["source"] != "pretrained" || !strings.Contains(r.Notice, "set aside, not deleted") || !r.SetAside {
		t.Errorf("damaged kept file: %+v notice %q set aside %v (%v)", r.Weights["source"], r.Notice, r.SetAside, err)
	}
	if f, err := e2.SetAside(); err != nil || !slices.Equal(f.Bytes, damaged) || f.Name != "conv-unreadable.safetensors" {
		t.Errorf("the set-aside file: %q, %d bytes (%v)", f.Name, len(f.Bytes), err)
	}

	store.fail = errors.New("QuotaExceededError")
	trainBriefly(t, e2)
	if err := e2.Keep(); err == nil || !strings.Contains(err.Error(), "QuotaExceededError") || !strings.Contains(err.Error(), "save it as a file") {
		t.Errorf("a failed Put: %v", err)
	}
}

// keptModel returns an engine whose simple model was trained here and kept.
func keptModel(t *testing.T) (*Engine, *memStore) {
	t.Helper()
	store := &memStore{files: map[string][]byte{}}
	e := NewEngine(site(t))
	e.SetStore(store)
	if _, err := e.Init("simple"); err != nil {
		t.Fatal(err)
	}
	trainBriefly(t, e)
	if err := e.Keep(); err != nil {
		t.Fatal(err)
	}
	return e, store
}

// TestANewRunKeepsTheOldModelRestorable: the first epoch of a new run
// replaces the kept model; the old one becomes the previous, and Restore
// brings it back.
func TestANewRunKeepsTheOldModelRestorable(t *testing.T) {
	e, store := keptModel(t)
	first := append([]byte(nil), store.files["simple"]...)
	if _, err := e.StartTraining(protocol.TrainConfig{Model: "simple", Epochs: 1, Batch: 32, LR: 0.01, Samples: 64, ValSamples: 32, Seed: 9}, nil); err != nil {
		t.Fatal(err)
	}
	for e.Training() {
		e.Train(10 * time.Millisecond)
	}
	if err := e.Keep(); err != nil {
		t.Fatal(err)
	}
	if slices.Equal(store.files["simple"], first) || !slices.Equal(store.files[previousKey("simple")], first) {
		t.Fatal("the new run's model did not replace the kept one, or the old one is not the previous")
	}
	if _, err := e.Restore(); err != nil || !slices.Equal(store.files["simple"], first) {
		t.Errorf("Restore did not bring the first model back: %v", err)
	}
}

// TestDivergenceKeepsTheKeptModel: a reader trained a good model, then
// tried a learning rate that diverges at batch 3: the good model is still
// kept, and back on show.
func TestDivergenceKeepsTheKeptModel(t *testing.T) {
	e, store := keptModel(t)
	good := append([]byte(nil), store.files["simple"]...)
	want, _ := e.Grid(protocol.GridRequest{Indices: []int{0, 1}})
	if _, err := e.StartTraining(protocol.TrainConfig{Model: "simple", Epochs: 1, Batch: 8, LR: 0.9, Samples: 64, Seed: 3}, nil); err != nil {
		t.Fatal(err)
	}
	e.Train(0)
	e.Train(0)
	e.model.Params()[0].Value[0] = float32(math.NaN())
	_, _, _, err := e.Train(0)
	if err == nil || !strings.Contains(err.Error(), "batch 3") || !strings.Contains(err.Error(), "lower than 0.9") || !strings.Contains(err.Error(), "kept before this run") {
		t.Errorf("divergence: %v", err)
	}
	if !slices.Equal(store.files["simple"], good) {
		t.Error("the good kept model was replaced")
	}
	if got, _ := e.Grid(protocol.GridRequest{Indices: []int{0, 1}}); !e.kept || !slices.Equal(got.Recon, want.Recon) {
		t.Error("the good model is not back on show")
	}
}

// TestPendingStore: a store still opening makes its first use wait, then
// serves it; one that failed to open keeps nothing and says so once, as
// no store would.
func TestPendingStore(t *testing.T) {
	release := make(chan struct{})
	mem := &memStore{files: map[string][]byte{"simple": {1}}}
	p := openInBackground(func() (Store, error) { <-release; return mem, nil }, func(err error) { t.Error(err) })
	got := make(chan []byte)
	go func() { b, _ := p.Get("simple"); got <- b }()
	select {
	case <-got:
		t.Fatal("Get answered before the store opened")
	case <-time.After(20 * time.Millisecond):
	}
	close(release)
	if b := <-got; !slices.Equal(b, []byte{1}) {
		t.Fatalf("Get after the open: %v", b)
	}
	if err := p.Put("deep", []byte{2}); err != nil || mem.files["deep"] == nil {
		t.Fatalf("Put: %v %v", err, mem.files)
	}

	var said []error
	broken := openInBackground(func() (Store, error) { return nil, errors.New("refused") }, func(err error) { said = append(said, err) })
	b, err := broken.Get("simple")
	if b != nil || err != nil || broken.Put("simple", []byte{1}) != nil || broken.Delete("simple") != nil {
		t.Fatalf("a store that could not open: %v %v", b, err)
	}
	if len(said) != 1 {
		t.Fatalf("the failed open was said %d times", len(said))
	}
}
