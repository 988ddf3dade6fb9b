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
	funcs   []js.Func
	next    int
	pending map[int]reply
	// events gets every message no pending request waits for.
	events func(protocol.Object)
	// died is told when a worker crashed or said it cannot go on.
	died func(msg string)
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

// start creates n workers and hands each the compiled module.
func (c *client) start(n int) {
	for i := 0; i < n; i++ {
		w := js.Global().Get("Worker").New("web/worker.js")
		leader := i == 0
		onMsg := js.FuncOf(func(_ js.Value, args []js.Value) any {
			data := jsutil.Object{V: args[0].Get("data")}
			if leader {
				c.route(data)
			} else if protocol.Type(data) == protocol.TError {
				e, _ := protocol.DecodeError(data)
				c.died(capitalize(e.Message))
			}
			return nil
		})
		onErr := js.FuncOf(func(_ js.Value, args []js.Value) any {
			msg := "unknown error"
			if m := args[0].Get("message"); m.Type() == js.TypeString {
				msg = m.String()
			}
			c.died("The training worker crashed (" + msg + "). Press Reset to start new workers.")
			return nil
		})
		w.Set("onmessage", onMsg)
		w.Set("onerror", onErr)
		boot := js.Global().Get("Object").New()
		boot.Set("type", "boot")
		boot.Set("module", js.Global().Get("aeplayModule"))
		w.Call("postMessage", boot)
		c.workers = append(c.workers, w)
		c.funcs = append(c.funcs, onMsg, onErr)
	}
	for _, f := range c.workers[1:] {
		ch := js.Global().Get("MessageChannel").New()
		connect(c.workers[0], protocol.RoleLeader, ch.Get("port1"))
		connect(f, protocol.RoleFollower, ch.Get("port2"))
	}
}

// stop ends every worker; the requests they had not answered fail.
func (c *client) stop() {
	for _, w := range c.workers {
		w.Call("terminate")
	}
	for _, f := range c.funcs {
		f.Release()
	}
	c.workers, c.funcs = nil, nil
	pending := c.pending
	c.pending = map[int]reply{}
	c.markPending()
	for _, r := range pending {
		if r.failed != nil {
			r.failed(protocol.Error{Message: "the workers were replaced"})
		}
	}
}

// size is how many workers run.
func (c *client) size() int { return len(c.workers) }

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

// route hands a message from the leader to the request it answers, or to
// events.
func (c *client) route(m protocol.Object) {
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
