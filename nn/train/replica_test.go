package train

import (
	"aeplay/nn/internal/nntest"
	"context"
	"math"
	"testing"
)

// TestShardsMatchSingleWorker: a batch shared with two shards trains like
// one worker (within float tolerance), and every replica ends with the
// leader's weights exactly.
func TestShardsMatchSingleWorker(t *testing.T) {
	train := Dataset{Images: nntest.Blobs(200, 8, 1)}
	val := Dataset{Images: nntest.Blobs(50, 8, 2)}
	cfg := Config{Epochs: 4, BatchSize: 32, LR: 0.01, Seed: 3, Workers: 1}
	_, single := trainTiny(t, 1, 0)

	leader := tinyConv(t)
	leader.Init(42)
	var shards []Shard
	var reps []*Replica
	for i := 0; i < 2; i++ {
		m := tinyConv(t)
		m.Init(42)
		rep, err := NewReplica(m, train, val, cfg, 32)
		if err != nil {
			t.Fatal(err)
		}
		reps = append(reps, rep)
		s := newLocalShard(rep)
		defer s.close()
		shards = append(shards, s)
	}
	cfg.Shards = shards
	tr, err := New(leader, train, val, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if tr.Workers() != 3 {
		t.Errorf("workers %d, want 3", tr.Workers())
	}
	hist, err := tr.Fit(context.Background(), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := range single {
		if d := math.Abs(single[i].ValLoss - hist[i].ValLoss); d > 1e-4*single[i].ValLoss {
			t.Errorf("epoch %d: val loss %v alone, %v with shards", i+1, single[i].ValLoss, hist[i].ValLoss)
		}
	}
	for _, rep := range reps {
		for i, p := range leader.Params() {
			if !nntest.Equal(p.Value, rep.Model.Params()[i].Value) {
				t.Fatalf("a replica's %s drifted from the leader's", p.Name)
			}
		}
	}
}
