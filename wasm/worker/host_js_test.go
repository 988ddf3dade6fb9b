//go:build js && wasm

package worker

import (
	"testing"
	"time"

	"aeplay/wasm/jsutil"
	"aeplay/wasm/protocol"
)

// These tests run the worker's message loop under node, with every message
// in both directions converted to a real JavaScript object and back, as
// postMessage would carry it.

type harness struct {
	t   *testing.T
	h   *Host
	out chan protocol.Object
}

func newHarness(t *testing.T) *harness {
	hs := &harness{t: t, out: make(chan protocol.Object, 1000)}
	post := func(f protocol.Fields) {
		obj, _ := jsutil.ToJS(f)
		hs.out <- jsutil.Object{V: obj}
	}
	hs.h = NewHost(NewEngine(site(t)), post, func() { time.Sleep(time.Millisecond) })
	go hs.h.Loop()
	return hs
}

func (hs *harness) send(f protocol.Fields) {
	obj, _ := jsutil.ToJS(f)
	hs.h.Deliver(jsutil.Object{V: obj})
}

// next waits for a message of the given type, returning it and what came
// before it.
func (hs *harness) next(typ string) (protocol.Object, []protocol.Object) {
	hs.t.Helper()
	var before []protocol.Object
	timeout := time.After(60 * time.Second)
	for {
		select {
		case m := <-hs.out:
			if protocol.Type(m) == typ {
				return m, before
			}
			if protocol.Type(m) == protocol.TError && typ != protocol.TError {
				e, _ := protocol.DecodeError(m)
				hs.t.Fatalf("worker error while waiting for %s: %s", typ, e.Message)
			}
			before = append(before, m)
		case <-timeout:
			hs.t.Fatalf("no %s message", typ)
		}
	}
}

func TestWorkerProtocol(t *testing.T) {
	hs := newHarness(t)
	hs.send(protocol.Init{BaseURL: "/", Model: "conv"}.Fields())
	m, _ := hs.next(protocol.TReady)
	r, err := protocol.DecodeReady(m)
	if err != nil || r.Params != 4385 || r.TestDigits != 50 || len(r.Layers) != 14 {
		t.Fatalf("ready %+v, %v", r, err)
	}

	hs.send(protocol.GridRequest{Indices: []int{0, 1, 2, 3}}.Fields())
	m, _ = hs.next(protocol.TGrid)
	g, err := protocol.DecodeGrid(m)
	if err != nil || g.N != 4 || len(g.Codes) != 4*128 {
		t.Fatalf("grid %+v, %v", g.N, err)
	}

	cfg := protocol.TrainConfig{Model: "conv", Epochs: 2, Batch: 32, LR: 0.005, Samples: 128, ValSamples: 64, Seed: 3}
	hs.send(cfg.Fields())
	_, before := hs.next(protocol.TReady)
	sawDownload := false
	for _, b := range before {
		sawDownload = sawDownload || protocol.Type(b) == protocol.TDownload
	}
	if !sawDownload {
		t.Error("no download progress before training")
	}
	m, _ = hs.next(protocol.TEpoch)
	e0, _ := protocol.DecodeEpoch(m)
	if e0.Epoch != 0 || !(e0.ValLoss > 0) {
		t.Errorf("baseline %+v", e0)
	}
	m, _ = hs.next(protocol.TEpoch)
	e1, _ := protocol.DecodeEpoch(m)
	hs.send(protocol.Fields{"type": protocol.TPause})
	m, _ = hs.next(protocol.TProgress)
	for p, _ := protocol.DecodeProgress(m); !p.Paused; p, _ = protocol.DecodeProgress(m) {
		m, _ = hs.next(protocol.TProgress)
	}
	// Paused: nothing more arrives until Step or Resume.
	time.Sleep(100 * time.Millisecond)
	for len(hs.out) > 0 {
		if m := <-hs.out; protocol.Type(m) == protocol.TEpoch {
			t.Fatal("an epoch finished while paused")
		}
	}
	hs.send(protocol.Fields{"type": protocol.TStep})
	m, _ = hs.next(protocol.TProgress)
	p, _ := protocol.DecodeProgress(m)
	if !p.Paused || p.Epoch != 2 || p.Batch != 1 {
		t.Errorf("step: %+v, want one batch of epoch 2, still paused", p)
	}
	hs.send(protocol.Fields{"type": protocol.TResume})
	m, _ = hs.next(protocol.TEpoch)
	e2, _ := protocol.DecodeEpoch(m)
	m, _ = hs.next(protocol.TDone)
	d, _ := protocol.DecodeDone(m)
	if e2.Epoch != 2 || d.Stopped || d.Epochs != 2 || !(e2.ValLoss < e1.ValLoss) {
		t.Errorf("epochs %+v then %+v, done %+v", e1, e2, d)
	}

	// Bad messages are answered with errors in words, and the worker lives on.
	hs.send(protocol.Fields{"type": protocol.TTrain, "epochs": "lots"})
	m, _ = hs.next(protocol.TError)
	if e, _ := protocol.DecodeError(m); e.Fatal || e.Message == "" {
		t.Errorf("bad train message: %+v", e)
	}
	hs.send(protocol.Fields{"type": "teleport"})
	hs.next(protocol.TError)
	hs.send(protocol.SetModel{Model: "denoise"}.Fields())
	hs.next(protocol.TReady)
	hs.send(protocol.GridRequest{Indices: []int{5}, Noise: 0.5}.Fields())
	m, _ = hs.next(protocol.TGrid)
	if g, err := protocol.DecodeGrid(m); err != nil || g.Noisy == nil || g.Baseline == nil {
		t.Errorf("denoise grid: %v", err)
	}
}

// TestRepliesNameTheirRequest: every answer, an error too, carries the id
// of the request it answers, and a request out of range (a negative digit,
// one past the test set) is an error reply, not a broken worker.
func TestRepliesNameTheirRequest(t *testing.T) {
	hs := newHarness(t)
	hs.send(protocol.Init{BaseURL: "/", Model: "simple"}.Fields().With("id", 1))
	if m, _ := hs.next(protocol.TReady); protocol.Re(m) != 1 {
		t.Errorf("ready answers %d, want 1", protocol.Re(m))
	}
	hs.send(protocol.GridRequest{Indices: []int{0, 1}}.Fields().With("id", 2))
	if m, _ := hs.next(protocol.TGrid); protocol.Re(m) != 2 {
		t.Errorf("grid answers %d, want 2", protocol.Re(m))
	}
	for id, f := range map[int]protocol.Fields{
		3: {"type": protocol.TPeek, "index": -1},
		4: {"type": protocol.TPeek, "index": 1e6},
		5: protocol.Interpolate{A: 0, B: 9999, Steps: 8}.Fields(),
		6: {"type": protocol.TGrid, "indices": []float64{-3}},
		7: {"type": protocol.TEncode, "pixels": []float32{1, 2}},
		8: {"type": "teleport"},
	} {
		hs.send(f.With("id", id))
		m, _ := hs.next(protocol.TError)
		e, _ := protocol.DecodeError(m)
		if protocol.Re(m) != id || e.Fatal || e.Request != protocol.Type(f) {
			t.Errorf("request %d (%v): error %+v answers %d", id, f, e, protocol.Re(m))
		}
	}
	hs.send(protocol.Peek{Index: 1}.Fields().With("id", 9))
	if m, _ := hs.next(protocol.TGrid); protocol.Re(m) != 9 {
		t.Errorf("the worker did not live on: peek answers %d", protocol.Re(m))
	}
}
