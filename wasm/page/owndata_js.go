//go:build js && wasm

package page

import (
	"fmt"
	"syscall/js"

	"aeplay/internal/numfmt"
	"aeplay/wasm/dom"
	"aeplay/wasm/jsutil"
	"aeplay/wasm/protocol"
)

// dataView is the Your data panel: an IDX image file (and its labels),
// dropped or chosen, replaces MNIST for training and every view.
type dataView struct {
	rq    requester
	ready func(protocol.Ready)
	fail  func(string)
	info  dom.Element
}

func newDataView(rq requester, ready func(protocol.Ready), fail func(string)) *dataView {
	v := &dataView{rq: rq, ready: ready, fail: fail, info: dom.ByID("data-info")}
	drop := dom.ByID("drop")
	drop.On("dragover", func(e dom.Event) { e.PreventDefault(); drop.SetClass("over", true) })
	drop.On("dragleave", func(dom.Event) { drop.SetClass("over", false) })
	drop.On("drop", func(e dom.Event) {
		e.PreventDefault()
		drop.SetClass("over", false)
		v.load(e.V.Get("dataTransfer").Get("files"))
	})
	files := dom.ByID("data-files")
	files.On("change", func(dom.Event) { v.load(files.Prop("files")) })
	return v
}

// load reads the dropped or chosen IDX files (the larger one is the
// images) and hands them to the worker.
func (v *dataView) load(files js.Value) {
	n := files.Length()
	if n == 0 || n > 2 {
		v.fail("Choose an IDX image file, and optionally its labels file: one or two files.")
		return
	}
	list := make([]js.Value, n)
	for i := range list {
		list[i] = files.Index(i)
	}
	go func() {
		var bufs [][]byte
		var names []string
		for _, f := range list {
			if f.Get("size").Float() > protocol.MaxFile {
				v.fail(fmt.Sprintf("%s is over %d MB; that is more than a browser tab should hold.", f.Get("name").String(), protocol.MaxFile>>20))
				return
			}
			b, err := readFile(f)
			if err != nil {
				v.fail("Could not read " + f.Get("name").String() + ": " + err.Error())
				return
			}
			bufs, names = append(bufs, b), append(names, f.Get("name").String())
		}
		images, labels, name := bufs[0], []byte(nil), names[0]
		if len(bufs) == 2 {
			if len(bufs[1]) > len(bufs[0]) {
				bufs[0], bufs[1], names[0] = bufs[1], bufs[0], names[1]
			}
			images, labels, name = bufs[0], bufs[1], names[0]
		}
		v.info.SetText("Reading " + name + "…")
		v.rq.request(protocol.DataFile{Name: name, Images: images, Labels: labels}.Fields(), reply{
			ok: func(m protocol.Object) {
				if r, ok := decodeOr(m, protocol.DecodeReady, v.fail); ok {
					v.ready(r)
				}
			},
			failed: func(e protocol.Error) { v.info.SetText(capitalize(e.Message)) },
		})
	}()
}

// onReady reports the reader's data set, once the worker took it.
func (v *dataView) onReady(r protocol.Ready) {
	if r.Data == "" {
		return
	}
	v.info.SetText(fmt.Sprintf("Using %s: its last %s images are the test set, the rest the training set. Press Train to fit the %s model to them; the map, interpolation and drawing use them too.",
		r.Data, numfmt.Thousands(r.TestDigits), r.Model))
	dom.Body().V.Get("dataset").Set("data", r.Data)
}

// readFile reads a File (or Blob) into Go.
func readFile(f js.Value) ([]byte, error) {
	buf, err := jsutil.Await(f.Call("arrayBuffer"))
	if err != nil {
		return nil, err
	}
	b := make([]byte, buf.Get("byteLength").Int())
	js.CopyBytesToGo(b, js.Global().Get("Uint8Array").New(buf))
	return b, nil
}
