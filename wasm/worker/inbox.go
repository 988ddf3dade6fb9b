package worker

import (
	"sync"

	"aeplay/wasm/protocol"
)

// inbox is the Host's queue of messages from the page: put never blocks
// (it is called from JavaScript callbacks) and never drops a message, so
// Stop and Pause always arrive. It is unbounded because its producer is a
// person: the page sends a message per action.
type inbox struct {
	mu    sync.Mutex
	queue []protocol.Object
	ready chan struct{} // holds a token while the queue may be non-empty
}

func newInbox() *inbox { return &inbox{ready: make(chan struct{}, 1)} }

func (b *inbox) put(m protocol.Object) {
	b.mu.Lock()
	b.queue = append(b.queue, m)
	b.mu.Unlock()
	select {
	case b.ready <- struct{}{}:
	default:
	}
}

// take returns the oldest message, if there is one.
func (b *inbox) take() (protocol.Object, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.queue) == 0 {
		return nil, false
	}
	m := b.queue[0]
	b.queue[0] = nil
	b.queue = b.queue[1:]
	return m, true
}

// wait returns the oldest message, waiting for one.
func (b *inbox) wait() protocol.Object {
	for {
		if m, ok := b.take(); ok {
			return m
		}
		<-b.ready
	}
}
