package worker

import (
	"testing"
	"time"

	"aeplay/wasm/protocol"
)

// TestInboxKeepsEveryMessage: many messages queued while nobody reads are
// all delivered, in order, Stop last among them; wait blocks until a put.
func TestInboxKeepsEveryMessage(t *testing.T) {
	b := newInbox()
	const n = 1000 // far more than the old 64-slot channel held
	for i := range n {
		b.put(protocol.Fields{"type": protocol.TPeek, "index": i})
	}
	b.put(protocol.Control{Type: protocol.TStop}.Fields())
	for i := range n {
		m, ok := b.take()
		if !ok || protocol.ID(m) != 0 || m.Get("index") != float64(i) {
			t.Fatalf("message %d: %v, %v", i, m, ok)
		}
	}
	if m := b.wait(); protocol.Type(m) != protocol.TStop {
		t.Fatalf("the last message is %v, want stop", m)
	}
	if _, ok := b.take(); ok {
		t.Fatal("a message too many")
	}
	got := make(chan protocol.Object)
	go func() { got <- b.wait() }()
	select {
	case <-got:
		t.Fatal("wait returned before anything was put")
	case <-time.After(20 * time.Millisecond):
	}
	b.put(protocol.Control{Type: protocol.TPause}.Fields())
	if m := <-got; protocol.Type(m) != protocol.TPause {
		t.Fatalf("wait returned %v", m)
	}
}
