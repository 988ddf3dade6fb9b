package worker

// pendingStore is a Store while it opens: the worker starts without
// waiting for IndexedDB (an open takes 50–100 ms of a first visit, on the
// way to the first grid), and the first use waits for it. A store that
// could not open keeps nothing, as an engine without a store does: Get
// finds nothing and Put and Delete do nothing.
type pendingStore struct {
	done chan struct{}
	s    Store
}

// openInBackground opens a store with open, in its own goroutine.
func openInBackground(open func() (Store, error), failed func(error)) *pendingStore {
	p := &pendingStore{done: make(chan struct{})}
	go func() {
		defer close(p.done)
		s, err := open()
		if err != nil {
			failed(err)
			return
		}
		p.s = s
	}()
	return p
}

func (p *pendingStore) Get(model string) ([]byte, error) {
	if <-p.done; p.s == nil {
		return nil, nil
	}
	return p.s.Get(model)
}

func (p *pendingStore) Put(model string, weights []byte) error {
	if <-p.done; p.s == nil {
		return nil
	}
	return p.s.Put(model, weights)
}

func (p *pendingStore) Delete(model string) error {
	if <-p.done; p.s == nil {
		return nil
	}
	return p.s.Delete(model)
}
