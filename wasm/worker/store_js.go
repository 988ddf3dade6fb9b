//go:build js && wasm

package worker

import (
	"errors"
	"fmt"
	"syscall/js"
	"time"

	"aeplay/wasm/jsutil"
)

// idbStore keeps weights in the browser's IndexedDB: database "aeplay",
// object store "weights", the safetensors bytes under the model's name.
// IndexedDB rather than localStorage: the weights are megabytes of binary,
// and IndexedDB is what workers can reach.
type idbStore struct{ db js.Value }

const (
	idbName    = "aeplay"
	idbVersion = 1
	idbObjects = "weights"
)

// openStore opens (creating at first use) the database. It fails where
// IndexedDB is missing or refused (node, some private windows, a
// sandboxed frame): the page then simply keeps nothing.
func openStore() (*idbStore, error) {
	// The leader's bootstrap opened it while the code downloaded (worker.js).
	if p := js.Global().Get("aeplayStoreOpening"); p.Truthy() {
		js.Global().Set("aeplayStoreOpening", js.Null())
		v, err := jsutil.Await(p)
		if err != nil {
			return nil, err
		}
		if e := v.Get("error"); e.Truthy() {
			return nil, fmt.Errorf("%s: %s", e.Get("name").String(), e.Get("message").String())
		}
		return &idbStore{db: v.Get("db")}, nil
	}
	idb := js.Global().Get("indexedDB")
	if !idb.Truthy() {
		return nil, errors.New("this browser has no IndexedDB")
	}
	var req js.Value
	if err := catch(func() { req = idb.Call("open", idbName, idbVersion) }); err != nil {
		return nil, err
	}
	upgrade := js.FuncOf(func(js.Value, []js.Value) any {
		db := req.Get("result")
		if !db.Get("objectStoreNames").Call("contains", idbObjects).Bool() {
			db.Call("createObjectStore", idbObjects)
		}
		return nil
	})
	defer upgrade.Release()
	req.Set("onupgradeneeded", upgrade)
	db, err := wait(req, "onsuccess", "onerror")
	req.Set("onupgradeneeded", js.Null())
	if err != nil {
		return nil, err
	}
	return &idbStore{db: db}, nil
}

func (s *idbStore) Get(model string) ([]byte, error) {
	var req js.Value
	if err := catch(func() {
		req = s.db.Call("transaction", idbObjects, "readonly").Call("objectStore", idbObjects).Call("get", model)
	}); err != nil {
		return nil, err
	}
	v, err := wait(req, "onsuccess", "onerror")
	if err != nil || v.IsUndefined() || v.IsNull() {
		return nil, err
	}
	if !v.InstanceOf(js.Global().Get("Uint8Array")) {
		return nil, errors.New("the kept entry is not bytes")
	}
	b := make([]byte, v.Get("length").Int())
	js.CopyBytesToGo(b, v)
	return b, nil
}

// Put waits for the transaction to complete, not just the request to
// succeed: only then is the write durable.
func (s *idbStore) Put(model string, weights []byte) error {
	return s.write(func(os js.Value) { os.Call("put", jsutil.Uint8Array(weights), model) })
}

func (s *idbStore) Delete(model string) error {
	return s.write(func(os js.Value) { os.Call("delete", model) })
}

func (s *idbStore) write(op func(js.Value)) error {
	var tx js.Value
	if err := catch(func() {
		tx = s.db.Call("transaction", idbObjects, "readwrite")
		op(tx.Call("objectStore", idbObjects))
	}); err != nil {
		return err
	}
	_, err := wait(tx, "oncomplete", "onerror", "onabort")
	return err
}

// wait blocks the calling goroutine (never a js.FuncOf callback) until the
// request or transaction fires its success event or one of its failures.
// storeTimeout bounds every wait on IndexedDB: a request can wait for ever
// behind a transaction of a page that is gone but not yet dead (WebKit
// keeps a left page's workers suspended for a while), and keeping nothing
// is better than a page that never loads.
const storeTimeout = 5 * time.Second

func wait(target js.Value, success string, failures ...string) (js.Value, error) {
	type result struct {
		v   js.Value
		err error
	}
	ch := make(chan result, 1)
	var funcs []js.Func
	ok := js.FuncOf(func(js.Value, []js.Value) any {
		var v js.Value
		if r := target.Get("result"); !r.IsUndefined() {
			v = r
		}
		select {
		case ch <- result{v: v}:
		default:
		}
		return nil
	})
	target.Set(success, ok)
	funcs = append(funcs, ok)
	for _, f := range failures {
		fail := js.FuncOf(func(js.Value, []js.Value) any {
			err := errors.New("IndexedDB: " + f[2:])
			if e := target.Get("error"); e.Truthy() {
				err = errors.New(e.Get("name").String() + ": " + e.Get("message").String())
			}
			select {
			case ch <- result{err: err}:
			default:
			}
			return nil
		})
		target.Set(f, fail)
		funcs = append(funcs, fail)
	}
	var r result
	select {
	case r = <-ch:
	case <-time.After(storeTimeout):
		r.err = fmt.Errorf("IndexedDB did not answer in %v", storeTimeout)
	}
	for _, name := range append([]string{success}, failures...) {
		target.Set(name, js.Null())
	}
	for _, f := range funcs {
		f.Release()
	}
	return r.v, r.err
}

// catch turns a thrown JavaScript exception into an error.
func catch(f func()) (err error) {
	defer func() {
		if r := recover(); r != nil {
			if je, ok := r.(js.Error); ok {
				err = errors.New(je.Value.Get("name").String() + ": " + je.Value.Get("message").String())
				return
			}
			panic(r)
		}
	}()
	f()
	return nil
}
