//go:build js && wasm

// Package dom is the page's small typed layer over syscall/js: elements,
// events and the 2-D canvas, with only what the page uses, which keeps the
// WebAssembly small.
package dom

import (
	"image"
	"syscall/js"
)

var (
	global = js.Global()
	doc    = global.Get("document")
)

// Element is a DOM element.
type Element struct{ V js.Value }

// ByID returns the element with the given id; Ok reports whether it exists.
func ByID(id string) Element { return Element{doc.Call("getElementById", id)} }

// Create makes a new element.
func Create(tag string) Element { return Element{doc.Call("createElement", tag)} }

// Body is the document body.
func Body() Element { return Element{doc.Get("body")} }

// SetText replaces the element's content with text (never HTML).
func (e Element) SetText(s string) { e.V.Set("textContent", s) }

// Text returns the element's text.
func (e Element) Text() string { return e.V.Get("textContent").String() }

// Attr returns an attribute ("" when absent).
func (e Element) Attr(name string) string {
	v := e.V.Call("getAttribute", name)
	if v.IsNull() {
		return ""
	}
	return v.String()
}

// SetAttr sets an attribute.
func (e Element) SetAttr(name, value string) { e.V.Call("setAttribute", name, value) }

// SetStyle sets one CSS property (a custom property too) through the
// CSSOM: the page's Content-Security-Policy refuses style attributes.
func (e Element) SetStyle(name, value string) { e.V.Get("style").Call("setProperty", name, value) }

// RemoveAttr removes an attribute.
func (e Element) RemoveAttr(name string) { e.V.Call("removeAttribute", name) }

// SetHidden shows or hides the element (the hidden attribute).
func (e Element) SetHidden(h bool) { e.V.Set("hidden", h) }

// Hidden reports whether the element has the hidden attribute.
func (e Element) Hidden() bool { return e.V.Get("hidden").Truthy() }

// SetClass adds or removes a class.
func (e Element) SetClass(name string, on bool) { e.V.Get("classList").Call("toggle", name, on) }

// Append adds children at the end.
func (e Element) Append(children ...Element) {
	for _, c := range children {
		e.V.Call("appendChild", c.V)
	}
}

// Clear removes every child.
func (e Element) Clear() { e.V.Call("replaceChildren") }

// Value is a form control's value.
func (e Element) Value() string { return e.V.Get("value").String() }

// SetValue sets a form control's value.
func (e Element) SetValue(s string) { e.V.Set("value", s) }

// SetProp sets a JavaScript property (disabled, checked, max…).
func (e Element) SetProp(name string, v any) { e.V.Set(name, v) }

// Prop reads a JavaScript property.
func (e Element) Prop(name string) js.Value { return e.V.Get(name) }

// Focus moves keyboard focus to the element.
func (e Element) Focus() { e.V.Call("focus") }

// ActiveElement is the element with the keyboard focus (the body when
// none has it).
func ActiveElement() Element { return Element{doc.Get("activeElement")} }

// QueryAll returns the descendants matching a CSS selector.
func (e Element) QueryAll(sel string) []Element {
	list := e.V.Call("querySelectorAll", sel)
	out := make([]Element, list.Length())
	for i := range out {
		out[i] = Element{list.Index(i)}
	}
	return out
}

// Event is a DOM event.
type Event struct{ V js.Value }

// PreventDefault stops the browser's default action.
func (e Event) PreventDefault() { e.V.Call("preventDefault") }

// Key is a keyboard event's key.
func (e Event) Key() string { return e.V.Get("key").String() }

// Target is the element the event happened on.
func (e Event) Target() Element { return Element{e.V.Get("target")} }

// Num reads a numeric property (offsetX, clientX…).
func (e Event) Num(name string) float64 { return e.V.Get(name).Float() }

// On registers a handler and returns the function that removes it (and
// releases its js.Func). Handlers run on the event loop: they must not
// block; start a goroutine for anything slow.
func (e Element) On(event string, h func(Event)) (release func()) {
	return on(e.V, event, h)
}

// OnWindow registers a handler on the window.
func OnWindow(event string, h func(Event)) (release func()) { return on(global, event, h) }

// held are the events that came while Hold held them, in order; nil when
// events are handled as they come. The document is one per page, and so
// is this.
var held *[]func()

// Hold makes the handlers registered with On wait, in order, until the
// returned function is called: the page builds itself in slices, giving the
// event loop a turn between them, and a click that comes in between must
// not find it half built. An event handled late cannot prevent its default
// action any more; while the page loads, that costs nothing.
func Hold() (release func()) {
	queue := []func(){}
	held = &queue
	return func() {
		for len(queue) > 0 {
			f := queue[0]
			queue = queue[1:]
			f()
		}
		held = nil
	}
}

func on(target js.Value, event string, h func(Event)) func() {
	f := js.FuncOf(func(_ js.Value, args []js.Value) any {
		if held != nil {
			e := Event{args[0]}
			*held = append(*held, func() { h(e) })
			return nil
		}
		h(Event{args[0]})
		return nil
	})
	target.Call("addEventListener", event, f)
	return func() {
		target.Call("removeEventListener", event, f)
		f.Release()
	}
}

// DevicePixelRatio is how many device pixels a CSS pixel has.
func DevicePixelRatio() float64 {
	r := global.Get("devicePixelRatio").Float()
	if r <= 0 {
		return 1
	}
	return r
}

// Hash is the URL fragment without '#'.
func Hash() string {
	h := global.Get("location").Get("hash").String()
	if len(h) > 0 && h[0] == '#' {
		h = h[1:]
	}
	return h
}

// ReplaceHash sets the URL fragment without adding a history entry.
func ReplaceHash(h string) {
	// Only a change: replaceState takes the main thread for 20–30 ms in
	// Chromium, and the page calls this after every setting it applies.
	if Hash() == h {
		return
	}
	global.Get("history").Call("replaceState", nil, "", "#"+h)
}

// Stored reads a value of the page's localStorage: ok false when there is
// none or the browser refuses storage (a sandbox, private browsing), which
// throws rather than returning null.
func Stored(key string) (v string, ok bool) {
	defer func() {
		if recover() != nil {
			v, ok = "", false
		}
	}()
	r := global.Get("localStorage").Call("getItem", key)
	if r.Type() != js.TypeString {
		return "", false
	}
	return r.String(), true
}

// Store writes a value to localStorage ("" removes it); a refusal (no
// storage, or the quota) is reported as false, not thrown.
func Store(key, v string) (ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	if v == "" {
		global.Get("localStorage").Call("removeItem", key)
	} else {
		global.Get("localStorage").Call("setItem", key, v)
	}
	return true
}

// Now is performance.now(), in milliseconds.
func Now() float64 { return global.Get("performance").Call("now").Float() }

// RequestFrame runs f once before the next repaint.
func RequestFrame(f func()) {
	var fn js.Func
	fn = js.FuncOf(func(js.Value, []js.Value) any {
		fn.Release()
		f()
		return nil
	})
	global.Call("requestAnimationFrame", fn)
}

// Soon runs f once in a task of its own (setTimeout 0): what the current
// task drew is painted first.
func Soon(f func()) {
	var fn js.Func
	fn = js.FuncOf(func(js.Value, []js.Value) any {
		fn.Release()
		f()
		return nil
	})
	global.Call("setTimeout", fn, 0)
}

// Canvas is a <canvas> element and its 2-D context.
type Canvas struct {
	Element
	ctx js.Value
}

// AsCanvas wraps a canvas element.
func AsCanvas(e Element) Canvas {
	return Canvas{Element: e, ctx: e.V.Call("getContext", "2d")}
}

// Fit sizes the canvas's backing store to its CSS box in device pixels
// (cssH, when positive, also sets the CSS height), so drawing stays crisp on
// high-DPI screens. It returns the backing size and the device pixel ratio.
func (c Canvas) Fit(cssH float64) (w, h int, dpr float64) {
	dpr = DevicePixelRatio()
	if cssH > 0 {
		c.V.Get("style").Set("height", js.ValueOf(cssH).String()+"px")
	}
	cw, ch := c.V.Get("clientWidth").Float(), c.V.Get("clientHeight").Float()
	w, h = int(cw*dpr+0.5), int(ch*dpr+0.5)
	if c.V.Get("width").Int() != w {
		c.V.Set("width", w)
	}
	if c.V.Get("height").Int() != h {
		c.V.Set("height", h)
	}
	return w, h, dpr
}

// Size is the backing store size.
func (c Canvas) Size() (w, h int) { return c.V.Get("width").Int(), c.V.Get("height").Int() }

// SetBackingSize sets the backing store and the CSS size (backing/dpr).
func (c Canvas) SetBackingSize(w, h int, dpr float64) {
	c.V.Set("width", w)
	c.V.Set("height", h)
	st := c.V.Get("style")
	st.Set("width", js.ValueOf(float64(w)/dpr).String()+"px")
	st.Set("height", js.ValueOf(float64(h)/dpr).String()+"px")
}

var (
	uint8Clamped = global.Get("Uint8ClampedArray")
	imageData    = global.Get("ImageData")
)

// PutImage copies an RGBA image onto the canvas at (x, y), in one bulk copy.
func (c Canvas) PutImage(img *image.RGBA, x, y int) {
	b := img.Bounds()
	if b.Empty() {
		return
	}
	arr := uint8Clamped.New(len(img.Pix))
	js.CopyBytesToJS(arr, img.Pix)
	c.ctx.Call("putImageData", imageData.New(arr, b.Dx(), b.Dy()), x, y)
}

// Clear clears the whole canvas.
func (c Canvas) Clear() {
	w, h := c.Size()
	c.ctx.Call("clearRect", 0, 0, w, h)
}

// Context2D exposes drawing calls on the canvas.
func (c Canvas) Context2D() Context2D { return Context2D{c.ctx} }

// Context2D is a CanvasRenderingContext2D, with the calls the chart uses.
type Context2D struct{ v js.Value }

func (c Context2D) FillStyle(s string)   { c.v.Set("fillStyle", s) }
func (c Context2D) StrokeStyle(s string) { c.v.Set("strokeStyle", s) }
func (c Context2D) LineWidth(w float64)  { c.v.Set("lineWidth", w) }
func (c Context2D) Font(s string)        { c.v.Set("font", s) }
func (c Context2D) TextAlign(s string)   { c.v.Set("textAlign", s) }
func (c Context2D) TextBaseline(s string) {
	c.v.Set("textBaseline", s)
}
func (c Context2D) FillRect(x, y, w, h float64) { c.v.Call("fillRect", x, y, w, h) }
func (c Context2D) ClearRect(x, y, w, h float64) {
	c.v.Call("clearRect", x, y, w, h)
}
func (c Context2D) BeginPath()          { c.v.Call("beginPath") }
func (c Context2D) MoveTo(x, y float64) { c.v.Call("moveTo", x, y) }
func (c Context2D) LineTo(x, y float64) { c.v.Call("lineTo", x, y) }
func (c Context2D) Stroke()             { c.v.Call("stroke") }
func (c Context2D) Fill()               { c.v.Call("fill") }
func (c Context2D) Arc(x, y, r float64) { c.v.Call("arc", x, y, r, 0, 6.283185307179586) }
func (c Context2D) FillText(s string, x, y float64) {
	c.v.Call("fillText", s, x, y)
}

// DrawImage copies the sw×sh rectangle at (sx, sy) of src (a canvas) to the
// dw×dh rectangle at (dx, dy), scaled without smoothing: nearest neighbour,
// so pixels stay square.
func (c Context2D) DrawImage(src Canvas, sx, sy, sw, sh, dx, dy, dw, dh int) {
	c.v.Set("imageSmoothingEnabled", false)
	c.v.Call("drawImage", src.V, sx, sy, sw, sh, dx, dy, dw, dh)
}
func (c Context2D) SetLineDash(d ...float64) {
	arr := make([]any, len(d))
	for i, v := range d {
		arr[i] = v
	}
	c.v.Call("setLineDash", arr)
}

// Polyline strokes a path through points given as x0, y0, x1, y1… in one
// call per point (the chart keeps these few hundred at most).
func (c Context2D) Polyline(xy []float64) {
	if len(xy) < 4 {
		return
	}
	c.BeginPath()
	c.MoveTo(xy[0], xy[1])
	for i := 2; i+1 < len(xy); i += 2 {
		c.LineTo(xy[i], xy[i+1])
	}
	c.Stroke()
}

// CSSVar reads a CSS custom property of the document (the theme colours).
func CSSVar(name string) string {
	v := global.Call("getComputedStyle", doc.Get("documentElement")).Call("getPropertyValue", name).String()
	for len(v) > 0 && v[0] == ' ' {
		v = v[1:]
	}
	return v
}

// Mark records a performance mark (visible in DevTools and to tests).
func Mark(name string) { global.Get("performance").Call("mark", name) }

// Debug writes a line to the console's debug level, for what a developer
// may want to see and a reader never needs.
func Debug(msg string) { js.Global().Get("console").Call("debug", msg) }
