//go:build js && wasm

package page

import (
	"strconv"
	"syscall/js"

	"aeplay/wasm/jsutil"
	"aeplay/wasm/protocol"
)

// client is the page's side of its workers: it starts them (worker 0
// leads; the others are connected to it by MessageChannels so that the
// page's main thread stays out of the training loop), numbers every
// request, and routes each reply to whoever asked. A request's first reply
// — its result or an Error naming it — ends it; other messages (a run's
// progress, its epochs, grid refreshes, downloads) go to events.
type client struct {
	workers []js.Value // the leader first
	want    int        // how many workers start asked for (more starts the rest)
	funcs   []js.Func
	next    int
	pending map[int]reply
	// events gets every message no pending request waits for.
	events func(protocol.Object)
	// died is told when a worker crashed or said it cannot go on.
	died func(msg string)
	// held keeps what the workers said (messages, crashes), in order,
	// while the page is not ready for it (hold).
	held    []func()
	holding bool
}

// reply is what a request does with its answer: ok with the result, failed
// with the worker's error, which the requester then shows where its reader
// looks (without failed, the page's alert shows it).
type reply struct {
	ok     func(protocol.Object)
	failed func(protocol.Error)
}

func newClient(events func(protocol.Object), died func(string)) *client {
	return &client{pending: map[int]reply{}, events: events, died: died}
}

// start starts the leading worker; the other n-1 start with more, once
// the first grid is on show: they are of no use before a run, and on a
// machine of few cores their start would slow the leader's. The loader may
// have started the leader already, as soon as the module compiled
// (aeplayTakeLeader): it is taken, with the messages it sent until now.
func (c *client) start(n int) {
	c.want = max(n, 1)
	c.spawn()
}

// more starts the followers start left for later, once, and connects each
// to the leader; the requests sent after it find them there.
func (c *client) more() {
	for len(c.workers) > 0 && len(c.workers) < c.want {
		f := c.spawn()
		ch := js.Global().Get("MessageChannel").New()
		connect(c.workers[0], protocol.RoleLeader, ch.Get("port1"))
		connect(f, protocol.RoleFollower, ch.Get("port2"))
	}
}

// spawn starts a worker (the first is the leader) and returns it.
func (c *client) spawn() js.Value {
	leader := len(c.workers) == 0
	var w, early js.Value
	if take := js.Global().Get("aeplayTakeLeader"); leader && take.Type() == js.TypeFunction {
		if t := take.Invoke(); t.Truthy() {
			w, early = t.Get("worker"), t.Get("early")
		}
	}
	booted := w.Truthy()
	if !booted {
		w = js.Global().Get("Worker").New("web/worker.js")
	}
	handleMsg := func(e js.Value) {
		data := jsutil.Object{V: e.Get("data")}
		if leader {
			c.route(data)
		} else if protocol.Type(data) == protocol.TError {
			e, _ := protocol.DecodeError(data)
			c.die(capitalize(e.Message))
		}
	}
	handleErr := func(e js.Value) {
		msg := "unknown error"
		if m := e.Get("message"); m.Type() == js.TypeString {
			msg = m.String()
		}
		c.die("The training worker crashed (" + msg + "). Press Reset to start new workers.")
	}
	onMsg := js.FuncOf(func(_ js.Value, args []js.Value) any {
		handleMsg(args[0])
		return nil
	})
	onErr := js.FuncOf(func(_ js.Value, args []js.Value) any {
		handleErr(args[0])
		return nil
	})
	w.Set("onmessage", onMsg)
	w.Set("onerror", onErr)
	if !booted {
		boot := js.Global().Get("Object").New()
		boot.Set("type", "boot")
		boot.Set("module", js.Global().Get("aeplayModule"))
		w.Call("postMessage", boot)
	}
	c.workers = append(c.workers, w)
	c.funcs = append(c.funcs, onMsg, onErr)
	for j := 0; early.Truthy() && j < early.Length(); j++ {
		if e := early.Index(j); e.Get("type").String() == "error" {
			handleErr(e)
		} else {
			handleMsg(e)
		}
	}
	return w
}

// stop ends every worker; the requests they had not answered fail.
func (c *client) stop() {
	for _, w := range c.workers {
		w.Call("terminate")
	}
	for _, f := range c.funcs {
		f.Release()
	}
	c.workers, c.funcs, c.held, c.want = nil, nil, nil, 0
	pending := c.pending
	c.pending = map[int]reply{}
	c.markPending()
	for _, r := range pending {
		if r.failed != nil {
			r.failed(protocol.Error{Message: "the workers were replaced"})
		}
	}
}

// size is how many workers run, or will once more starts the followers.
func (c *client) size() int { return c.want }

func connect(w js.Value, role string, port js.Value) {
	msg := js.Global().Get("Object").New()
	msg.Set("type", protocol.TConnect)
	msg.Set("role", role)
	msg.Set("port", port)
	msg.Set("baseURL", siteBase())
	w.Call("postMessage", msg, []any{port})
}

// siteBase is the URL of the site's root, where the workers fetch from.
func siteBase() string {
	return js.Global().Get("URL").New(".", js.Global().Get("location").Get("href")).Get("href").String()
}

// request sends a request to the leader; r says what to do with its answer
// (its fields may be nil: the answer then goes to events, and an error to
// the page's alert). It returns the request's id.
func (c *client) request(f protocol.Fields, r reply) int {
	if len(c.workers) == 0 {
		if r.failed != nil {
			r.failed(protocol.Error{Request: protocol.Type(f), Message: "no worker is running; press Reset"})
		}
		return 0
	}
	c.next++
	id := c.next
	if r.ok != nil || r.failed != nil {
		c.pending[id] = r
	}
	obj, transfer := jsutil.ToJS(f.With("id", id))
	c.workers[0].Call("postMessage", obj, transfer)
	c.markPending()
	return id
}

// hold keeps the leader's messages from the page while on is set (the
// page is building itself), and hands them over, in order, when it is not.
func (c *client) hold(on bool) {
	c.holding = on
	for !c.holding && len(c.held) > 0 {
		f := c.held[0]
		c.held = c.held[1:]
		f()
	}
}

// die tells the page a worker crashed, or holds it.
func (c *client) die(msg string) {
	if c.holding {
		c.held = append(c.held, func() { c.die(msg) })
		return
	}
	c.died(msg)
}

// route hands a message from the leader to the request it answers, or to
// events.
func (c *client) route(m protocol.Object) {
	if c.holding {
		c.held = append(c.held, func() { c.route(m) })
		return
	}
	if re := protocol.Re(m); re > 0 {
		if r, ok := c.pending[re]; ok {
			delete(c.pending, re)
			c.markPending()
			if protocol.Type(m) == protocol.TError {
				e, err := protocol.DecodeError(m)
				if err == nil && !e.Fatal && r.failed != nil {
					r.failed(e)
					return
				}
			} else if r.ok != nil {
				r.ok(m)
				return
			}
		}
	}
	c.events(m)
}

// markPending shows how many requests wait for an answer on
// <body data-pending>, for tests.
func (c *client) markPending() {
	js.Global().Get("document").Get("body").Get("dataset").Set("pending", strconv.Itoa(len(c.pending)))
}
