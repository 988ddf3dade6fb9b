package train

import (
	"aeplay/nn/internal/nntest"
	"context"
	"math"
	"testing"
)

// loopShard is a Shard over an in-process Replica that runs in its own
// goroutine, as a web worker would run in its own thread, exchanging only
// copies of indices and gradients.
type loopShard struct {
	rep   *Replica
	req   chan func()
	done  chan struct{}
	loss  float64
	grads []float32
}

func newLoopShard(rep *Replica) *loopShard {
	s := &loopShard{rep: rep, req: make(chan func()), done: make(chan struct{})}
	go func() {
		for f := range s.req {
			f()
			s.done <- struct{}{}
		}
	}()
	return s
}

func (s *loopShard) StartGrads(idx []int, scale float32) {
	idx = append([]int(nil), idx...)
	s.req <- func() {
		loss, g := s.rep.Grads(idx, scale)
		s.loss, s.grads = loss, g
	}
}

func (s *loopShard) WaitGrads() (float64, []float32, error) {
	<-s.done
	return s.loss, s.grads, nil
}

func (s *loopShard) Apply(grads []float32) error {
	cp := append([]float32(nil), grads...)
	s.req <- func() { s.rep.Apply(cp) }
	<-s.done
	return nil
}

// loopStarter is a loopShard that takes a step and the next share in one
// message (stepStarter).
type loopStarter struct{ *loopShard }

func (s loopStarter) ApplyAndStart(grads []float32, idx []int, scale float32) error {
	if err := s.Apply(grads); err != nil {
		return err
	}
	s.StartGrads(idx, scale)
	return nil
}

func (s *loopShard) StartEval(idx []int) {
	idx = append([]int(nil), idx...)
	s.req <- func() { s.loss = s.rep.Eval(idx) }
}

func (s *loopShard) WaitEval() (float64, error) {
	<-s.done
	return s.loss, nil
}

// TestShardsMatchSingleWorker: a batch shared with two shards trains like
// one worker (within float tolerance), and every replica ends with the
// leader's weights exactly. One shard gets each next share with the step
// (stepStarter), the other asks for it.
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
		rep := NewReplica(m, train, val, cfg, 32)
		reps = append(reps, rep)
		if i == 0 {
			shards = append(shards, loopStarter{newLoopShard(rep)})
		} else {
			shards = append(shards, newLoopShard(rep))
		}
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
