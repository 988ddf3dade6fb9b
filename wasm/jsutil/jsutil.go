//go:build js && wasm

// Package jsutil is the thin layer between Go values and JavaScript ones
// that both the page and the worker use: message conversion (typed arrays
// in bulk, never element by element), awaiting promises, fetching with
// progress, and yielding to the event loop.
package jsutil

import (
	"errors"
	"fmt"
	"strings"
	"syscall/js"
	"unsafe"

	"aeplay/wasm/protocol"
)

var (
	float32Array = js.Global().Get("Float32Array")
	uint8Array   = js.Global().Get("Uint8Array")
	arrayCtor    = js.Global().Get("Array")
	object       = js.Global().Get("Object")
)

// Object adapts a JavaScript object to protocol.Object.
type Object struct{ V js.Value }

// Get converts one field; see protocol.Object for the mapping.
func (o Object) Get(key string) any {
	return fromJS(o.V.Get(key))
}

func fromJS(v js.Value) any {
	switch v.Type() {
	case js.TypeUndefined, js.TypeNull:
		return nil
	case js.TypeNumber:
		return v.Float()
	case js.TypeString:
		return v.String()
	case js.TypeBoolean:
		return v.Bool()
	case js.TypeObject:
		switch {
		case v.InstanceOf(float32Array):
			return Float32s(v)
		case v.InstanceOf(uint8Array):
			b := make([]byte, v.Length())
			js.CopyBytesToGo(b, v)
			return b
		case arrayCtor.Call("isArray", v).Bool():
			out := make([]float64, v.Length())
			for i := range out {
				out[i] = v.Index(i).Float()
			}
			return out
		}
		return Object{v}
	}
	return nil
}

// Float32s copies a Float32Array into Go in one bulk copy.
func Float32s(v js.Value) []float32 {
	n := v.Length()
	out := make([]float32, n)
	if n > 0 {
		b := unsafe.Slice((*byte)(unsafe.Pointer(&out[0])), 4*n)
		js.CopyBytesToGo(b, uint8Array.New(v.Get("buffer"), v.Get("byteOffset"), 4*n))
	}
	return out
}

// Float32Array copies floats into a new Float32Array in one bulk copy.
func Float32Array(f []float32) js.Value {
	a := float32Array.New(len(f))
	if len(f) > 0 {
		b := unsafe.Slice((*byte)(unsafe.Pointer(&f[0])), 4*len(f))
		js.CopyBytesToJS(uint8Array.New(a.Get("buffer")), b)
	}
	return a
}

// Uint8Array copies bytes into a new Uint8Array.
func Uint8Array(b []byte) js.Value {
	a := uint8Array.New(len(b))
	js.CopyBytesToJS(a, b)
	return a
}

// ToJS converts a message to a JavaScript object. transfer lists the
// buffers of the typed arrays it made, which postMessage may transfer
// instead of copying: nothing else refers to them.
func ToJS(f protocol.Fields) (obj js.Value, transfer []any) {
	obj = object.New()
	for k, v := range f {
		var jv js.Value
		switch x := v.(type) {
		case []float32:
			jv = Float32Array(x)
			transfer = append(transfer, jv.Get("buffer"))
		case []uint8:
			jv = Uint8Array(x)
			transfer = append(transfer, jv.Get("buffer"))
		case []float64:
			jv = arrayCtor.New(len(x))
			for i, e := range x {
				jv.SetIndex(i, e)
			}
		case protocol.Fields:
			jv, _ = ToJS(x)
		case int, int64, uint64, float32, float64, string, bool, nil:
			jv = js.ValueOf(x)
		default:
			panic(fmt.Sprintf("jsutil: field %q has unsupported type %T", k, v))
		}
		obj.Set(k, jv)
	}
	return obj, transfer
}

// Await blocks the calling goroutine (never a js.FuncOf callback) until
// the promise settles.
func Await(p js.Value) (js.Value, error) {
	type result struct {
		v   js.Value
		err error
	}
	ch := make(chan result, 1)
	ok := js.FuncOf(func(_ js.Value, args []js.Value) any {
		ch <- result{v: arg0(args)}
		return nil
	})
	fail := js.FuncOf(func(_ js.Value, args []js.Value) any {
		ch <- result{err: jsError(arg0(args))}
		return nil
	})
	defer ok.Release()
	defer fail.Release()
	p.Call("then", ok, fail)
	r := <-ch
	return r.v, r.err
}

func arg0(args []js.Value) js.Value {
	if len(args) == 0 {
		return js.Undefined()
	}
	return args[0]
}

func jsError(v js.Value) error {
	if v.Type() == js.TypeObject && v.Get("message").Type() == js.TypeString {
		return errors.New(v.Get("message").String())
	}
	return errors.New(js.Global().Get("String").Invoke(v).String())
}

// Fetch reads url, reporting progress as chunks arrive. HTTP errors and
// network failures are errors that name the URL.
func Fetch(url string, progress func(loaded, total int)) ([]byte, error) {
	return fetch(url, js.Undefined(), 0, progress)
}

// ErrTooLarge is FetchCapped's error for a body over its limit.
var ErrTooLarge = errors.New("too large")

// FetchCapped reads url from any origin that allows it (CORS, without
// cookies) and stops reading past max bytes, whatever the server claims
// its length is.
func FetchCapped(url string, max int) ([]byte, error) {
	init := js.Global().Get("Object").New()
	init.Set("mode", "cors")
	init.Set("credentials", "omit")
	return fetch(url, init, max, nil)
}

func fetch(url string, init js.Value, max int, progress func(loaded, total int)) ([]byte, error) {
	resp, err := Await(js.Global().Call("fetch", url, init))
	if err != nil {
		return nil, fmt.Errorf("network error fetching %s: %w", url, err)
	}
	if !resp.Get("ok").Bool() {
		// A short plain-text body says why (the service worker's "Offline,
		// and … was not kept", the dev server's 404 reason).
		why := resp.Get("statusText").String()
		if ct := resp.Get("headers").Call("get", "Content-Type"); ct.Type() == js.TypeString && strings.HasPrefix(ct.String(), "text/plain") {
			if txt, err := Await(resp.Call("text")); err == nil && txt.Type() == js.TypeString {
				if t := strings.TrimSpace(txt.String()); t != "" && len(t) < 300 {
					why = t
				}
			}
		}
		return nil, fmt.Errorf("%s: HTTP %d: %s", url, resp.Get("status").Int(), why)
	}
	total := 0
	if cl := resp.Get("headers").Call("get", "Content-Length"); cl.Type() == js.TypeString && resp.Get("headers").Call("get", "Content-Encoding").IsNull() {
		fmt.Sscan(cl.String(), &total)
	}
	if max > 0 && total > max {
		return nil, fmt.Errorf("%s is %d bytes: %w (at most %d)", url, total, ErrTooLarge, max)
	}
	body := resp.Get("body")
	if body.IsNull() || body.IsUndefined() {
		buf, err := Await(resp.Call("arrayBuffer"))
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", url, err)
		}
		if n := buf.Get("byteLength").Int(); max > 0 && n > max {
			return nil, fmt.Errorf("%s is %d bytes: %w (at most %d)", url, n, ErrTooLarge, max)
		}
		b := make([]byte, buf.Get("byteLength").Int())
		js.CopyBytesToGo(b, uint8Array.New(buf))
		return b, nil
	}
	reader := body.Call("getReader")
	var out []byte
	if total > 0 {
		out = make([]byte, 0, total)
	}
	for {
		chunk, err := Await(reader.Call("read"))
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", url, err)
		}
		if chunk.Get("done").Bool() {
			break
		}
		v := chunk.Get("value")
		n := len(out)
		if max > 0 && n+v.Length() > max {
			reader.Call("cancel")
			return nil, fmt.Errorf("%s is more than %d bytes: %w", url, max, ErrTooLarge)
		}
		out = append(out, make([]byte, v.Length())...)
		js.CopyBytesToGo(out[n:], v)
		if progress != nil {
			progress(len(out), total)
		}
	}
	return out, nil
}

// Yielder lets a long computation give the event loop a turn (so messages
// and input get through) with no timer clamping: it waits for a message
// posted to itself through a MessageChannel.
type Yielder struct {
	port js.Value
	tick chan struct{}
	fn   js.Func
}

// NewYielder makes a Yielder; Release it when done.
func NewYielder() *Yielder {
	ch := js.Global().Get("MessageChannel").New()
	y := &Yielder{port: ch.Get("port2"), tick: make(chan struct{}, 1)}
	y.fn = js.FuncOf(func(js.Value, []js.Value) any {
		select {
		case y.tick <- struct{}{}:
		default:
		}
		return nil
	})
	ch.Get("port1").Set("onmessage", y.fn)
	return y
}

// Yield returns after the event loop has run whatever was waiting.
func (y *Yielder) Yield() {
	y.port.Call("postMessage", 0)
	<-y.tick
}

// Release frees the callback.
func (y *Yielder) Release() { y.fn.Release() }

// CopyFloat32sToGo fills dst from a Float32Array of the same length.
func CopyFloat32sToGo(dst []float32, v js.Value) error {
	if v.Length() != len(dst) {
		return fmt.Errorf("expected %d floats, got %d", len(dst), v.Length())
	}
	if len(dst) > 0 {
		b := unsafe.Slice((*byte)(unsafe.Pointer(&dst[0])), 4*len(dst))
		js.CopyBytesToGo(b, uint8Array.New(v.Get("buffer"), v.Get("byteOffset"), 4*len(dst)))
	}
	return nil
}

// CopyFloat32sToJS fills a Float32Array of the same length from src, and
// reports whether it could (a buffer transferred away has length 0).
func CopyFloat32sToJS(dst js.Value, src []float32) bool {
	if !dst.Truthy() || dst.Length() != len(src) {
		return false
	}
	if len(src) > 0 {
		b := unsafe.Slice((*byte)(unsafe.Pointer(&src[0])), 4*len(src))
		js.CopyBytesToJS(uint8Array.New(dst.Get("buffer"), dst.Get("byteOffset"), 4*len(src)), b)
	}
	return true
}

var int32Array = js.Global().Get("Int32Array")

// Int32Array copies ints into a new Int32Array, through buf (reused).
func Int32Array(x []int, buf *[]int32) js.Value {
	if cap(*buf) < len(x) {
		*buf = make([]int32, len(x))
	}
	b := (*buf)[:len(x)]
	for i, v := range x {
		b[i] = int32(v)
	}
	a := int32Array.New(len(x))
	if len(x) > 0 {
		js.CopyBytesToJS(uint8Array.New(a.Get("buffer")), unsafe.Slice((*byte)(unsafe.Pointer(&b[0])), 4*len(b)))
	}
	return a
}

// Ints reads an Int32Array into Go ints.
func Ints(v js.Value) []int {
	n := v.Length()
	b := make([]int32, n)
	if n > 0 {
		js.CopyBytesToGo(unsafe.Slice((*byte)(unsafe.Pointer(&b[0])), 4*n), uint8Array.New(v.Get("buffer"), v.Get("byteOffset"), 4*n))
	}
	out := make([]int, n)
	for i, x := range b {
		out[i] = int(x)
	}
	return out
}
