//go:build js && wasm

package worker

import (
	"errors"
	"math"
	"syscall/js"

	"aeplay/nn"
	"aeplay/wasm/jsutil"
	"aeplay/wasm/protocol"
)

// portShard is the leader's end of a follower: an train.Shard over a
// MessagePort. Requests are posted at once; the Wait calls block the
// leader's goroutine (not the event loop) until the reply arrives.
type portShard struct {
	port    js.Value
	replies chan js.Value
	onMsg   js.Func
	flat    []float32 // the follower's gradients, as received
	idxBuf  []int32
	run     int // replies of earlier runs (one that failed midway) are dropped
	// buf is the follower's last gradients' Float32Array, which carries the
	// step back: the two buffers of a step travel to and fro instead of
	// two new ones a step (a model's size each) for the collector.
	buf js.Value
}

func newPortShard(port js.Value) *portShard {
	s := &portShard{port: port, replies: make(chan js.Value, 8)}
	s.onMsg = js.FuncOf(func(_ js.Value, args []js.Value) any {
		s.replies <- args[0].Get("data")
		return nil
	})
	port.Set("onmessage", s.onMsg)
	return s
}

func (s *portShard) setModel(m *nn.Model) { s.flat = make([]float32, m.NumParams()) }

func (s *portShard) post(f protocol.Fields) {
	obj, transfer := jsutil.ToJS(f)
	s.port.Call("postMessage", obj, transfer)
}

func (s *portShard) setup(cfg protocol.TrainConfig, m *nn.Model) {
	s.setModel(m)
	s.run++
	s.post(cfg.Fields().With("type", protocol.TSetup).With("run", s.run))
}

func (s *portShard) StartGrads(idx []int, scale float32) {
	obj := js.Global().Get("Object").New()
	obj.Set("type", protocol.TShard)
	a := jsutil.Int32Array(idx, &s.idxBuf)
	obj.Set("idx", a)
	obj.Set("scale", float64(scale))
	s.port.Call("postMessage", obj, []any{a.Get("buffer")})
}

// wait returns the next reply of this run, or the follower's error.
func (s *portShard) wait(want string) (js.Value, error) {
	r := <-s.replies
	for r.Get("run").Int() != s.run {
		r = <-s.replies
	}
	switch t := r.Get("type").String(); t {
	case want:
		return r, nil
	case protocol.TError:
		return r, errors.New(r.Get("message").String())
	default:
		return r, errors.New("follower answered " + t + ", expected " + want)
	}
}

func (s *portShard) WaitGrads() (float64, []float32, error) {
	r, err := s.wait(protocol.TGrads)
	if err != nil {
		return 0, nil, err
	}
	if err := jsutil.CopyFloat32sToGo(s.flat, r.Get("grads")); err != nil {
		return 0, nil, err
	}
	s.buf = r.Get("grads")
	return r.Get("loss").Float(), s.flat, nil
}

// Apply sends the step, and the share of the next batch if there is one, in
// one message: the follower starts on it as soon as it has taken the step.
func (s *portShard) Apply(grads []float32, next []int, scale float32) error {
	s.apply(grads, next, scale)
	return nil
}

func (s *portShard) apply(grads []float32, idx []int, scale float32) {
	var obj js.Value
	var transfer []any
	if buf := s.buf; jsutil.CopyFloat32sToJS(buf, grads) {
		s.buf = js.Undefined()
		obj = js.Global().Get("Object").New()
		obj.Set("type", protocol.TApply)
		obj.Set("grads", buf)
		transfer = []any{buf.Get("buffer")}
	} else {
		obj, transfer = jsutil.ToJS(protocol.Fields{"type": protocol.TApply, "grads": grads})
	}
	if idx != nil {
		a := jsutil.Int32Array(idx, &s.idxBuf)
		obj.Set("idx", a)
		obj.Set("scale", float64(scale))
		transfer = append(transfer, a.Get("buffer"))
	}
	s.port.Call("postMessage", obj, transfer)
}

func (s *portShard) StartEval(idx []int) {
	obj := js.Global().Get("Object").New()
	obj.Set("type", protocol.TEvalReq)
	a := jsutil.Int32Array(idx, &s.idxBuf)
	obj.Set("idx", a)
	s.port.Call("postMessage", obj, []any{a.Get("buffer")})
}

func (s *portShard) WaitEval() (float64, error) {
	r, err := s.wait(protocol.TEvalRes)
	if err != nil {
		return math.NaN(), err
	}
	return r.Get("loss").Float(), nil
}

// serveLeader answers a leader's requests on port, from the follower's
// own goroutine, until the port closes.
func serveLeader(f *Follower, port js.Value) {
	reqs := make(chan js.Value, 16)
	onMsg := js.FuncOf(func(_ js.Value, args []js.Value) any {
		reqs <- args[0].Get("data")
		return nil
	})
	port.Set("onmessage", onMsg)
	run := 0
	reply := func(fields protocol.Fields) {
		obj, transfer := jsutil.ToJS(fields)
		obj.Set("run", run)
		port.Call("postMessage", obj, transfer)
	}
	fail := func(err error) { reply(protocol.Error{Message: err.Error()}.Fields()) }
	var step []float32 // reused: incoming steps
	var buf js.Value   // the last step's Float32Array, to carry the next gradients
	// shard computes the gradients of the share r names and replies.
	shard := func(r js.Value) {
		loss, grads, err := f.Grads(jsutil.Ints(r.Get("idx")), float32(r.Get("scale").Float()))
		if err != nil {
			fail(err)
			return
		}
		if b := buf; jsutil.CopyFloat32sToJS(b, grads) {
			buf = js.Undefined()
			obj := js.Global().Get("Object").New()
			obj.Set("type", protocol.TGrads)
			obj.Set("loss", loss)
			obj.Set("grads", b)
			obj.Set("run", run)
			port.Call("postMessage", obj, []any{b.Get("buffer")})
			return
		}
		reply(protocol.Fields{"type": protocol.TGrads, "loss": loss, "grads": grads})
	}
	for r := range reqs {
		switch r.Get("type").String() {
		case protocol.TSetup:
			run = r.Get("run").Int()
			cfg, err := protocol.DecodeTrainConfig(jsutil.Object{V: r})
			if err == nil {
				err = f.Setup(cfg)
			}
			if err != nil {
				fail(err)
				continue
			}
			step = make([]float32, f.rep.Model.NumParams())
		case protocol.TShard:
			shard(r)
		case protocol.TApply:
			if f.rep == nil {
				fail(errors.New("follower: no run set up"))
				continue
			}
			if err := jsutil.CopyFloat32sToGo(step, r.Get("grads")); err != nil {
				fail(errors.New("follower: the step's gradients do not fit the model: " + err.Error()))
				continue
			}
			buf = r.Get("grads")
			if err := f.Apply(step); err != nil {
				fail(err)
				continue
			}
			if r.Get("idx").Truthy() { // the next batch's share came with the step
				shard(r)
			}
		case protocol.TEvalReq:
			loss, err := f.Eval(jsutil.Ints(r.Get("idx")))
			if err != nil {
				fail(err)
				continue
			}
			reply(protocol.Fields{"type": protocol.TEvalRes, "loss": loss})
		}
	}
}
