package worker

import (
	"errors"
	"fmt"

	"aeplay/nn"
	"aeplay/nn/catalog"
	"aeplay/nn/weights"
	"aeplay/wasm/protocol"
)

// Models kept in this browser. Under a model's name the store holds the
// weights a reload shows. Nothing the reader trained is deleted without a
// way back: the kept weights that a new run, a loaded file or Reset
// replaces move to the model's "previous" slot, which Restore swaps back
// (so a Restore is undone by another); a kept file that cannot be read is
// set aside under "unreadable", to download, not deleted.

func previousKey(model string) string { return model + "#previous" }
func asideKey(model string) string    { return model + "#unreadable" }

// move moves the store's entry from one key to another, replacing what was
// there; nothing to move is no error.
func (e *Engine) move(from, to string) error {
	b, err := e.store.Get(from)
	if err != nil || b == nil {
		return err
	}
	if err := e.store.Put(to, b); err != nil {
		return err
	}
	return e.store.Delete(from)
}

// has reports whether the store holds an entry under key.
func (e *Engine) has(key string) bool {
	if e.store == nil {
		return false
	}
	b, err := e.store.Get(key)
	return err == nil && b != nil
}

// readKept reads the weights kept for m into it: meta is nil when none
// are kept; err says why kept weights could not be read.
func (e *Engine) readKept(m *nn.Model) (meta map[string]string, err error) {
	if e.store == nil {
		return nil, nil
	}
	b, err := e.store.Get(m.Name)
	if err != nil || b == nil {
		return nil, err
	}
	return weights.Read(b, m)
}

// loadKept is readKept for the model about to be shown: weights that cannot
// be read are set aside, and notice says so.
func (e *Engine) loadKept(m *nn.Model) (meta map[string]string, kept bool, notice string) {
	meta, err := e.readKept(m)
	// What is shown instead: a model built from a spec has no pretrained
	// weights.
	instead := "the pretrained weights"
	if en, _ := catalog.Resolve(m.Name); en.Custom {
		instead = "it untrained"
	}
	switch {
	case err == nil:
		return meta, meta != nil, ""
	case e.move(m.Name, asideKey(m.Name)) != nil:
		return nil, false, fmt.Sprintf("Kept in this browser, %s could not be read (%v); showing %s. It is still kept: a later version of the page may read it.", catalog.Called(m.Name), err, instead)
	}
	return nil, false, fmt.Sprintf("Kept in this browser, %s could not be read (%v). It is set aside, not deleted: download it with the button here. Showing %s.", catalog.Called(m.Name), err, instead)
}

// Keep stores the weights on show, unless they are the pretrained ones, so
// that a reload shows them again. The host calls it at the end of every
// epoch and run, and after a file is loaded. The first Keep of new weights
// (a run's first epoch, a loaded file) moves the ones kept before to the
// previous slot.
func (e *Engine) Keep() error {
	if e.store == nil || e.model == nil || e.meta["source"] == "pretrained" {
		return nil
	}
	f, err := e.Export()
	if err != nil {
		return err
	}
	if !e.kept {
		if err := e.move(e.name, previousKey(e.name)); err != nil {
			return fmt.Errorf("could not set %s kept before aside (%w); the new one is not kept", catalog.Called(e.name), err)
		}
	}
	if err := e.store.Put(e.name, f.Bytes); err != nil {
		return fmt.Errorf("could not keep %s in this browser (%w); it will be gone after a reload unless you save it as a file", catalog.Called(e.name), err)
	}
	e.kept = true
	return nil
}

// Reset ends any run and shows the pretrained weights; the kept ones move
// to the previous slot, so Restore brings them back.
func (e *Engine) Reset() (protocol.Ready, error) {
	if e.name == "" {
		return protocol.Ready{}, errors.New("no model loaded yet")
	}
	if e.store != nil {
		if err := e.move(e.name, previousKey(e.name)); err != nil {
			return protocol.Ready{}, fmt.Errorf("could not set %s kept in this browser aside: %w", catalog.Called(e.name), err)
		}
	}
	return e.SetModel(e.name)
}

// Restore swaps the kept weights with the previous ones and shows them.
func (e *Engine) Restore() (protocol.Ready, error) {
	if e.name == "" {
		return protocol.Ready{}, errors.New("no model loaded yet")
	}
	if !e.has(previousKey(e.name)) {
		return protocol.Ready{}, fmt.Errorf("there is no earlier version of %s to bring back", catalog.Called(e.name))
	}
	cur, err := e.store.Get(e.name)
	if err != nil {
		return protocol.Ready{}, err
	}
	prev, err := e.store.Get(previousKey(e.name))
	if err != nil {
		return protocol.Ready{}, err
	}
	if err := e.store.Put(e.name, prev); err != nil {
		return protocol.Ready{}, fmt.Errorf("could not bring the earlier version of %s back: %w", catalog.Called(e.name), err)
	}
	if cur != nil {
		err = e.store.Put(previousKey(e.name), cur)
	} else {
		err = e.store.Delete(previousKey(e.name))
	}
	if err != nil {
		return protocol.Ready{}, err
	}
	return e.SetModel(e.name)
}

// SetAside returns the unreadable kept file of the model on show, to
// download.
func (e *Engine) SetAside() (protocol.WeightsFile, error) {
	if e.store == nil || e.name == "" {
		return protocol.WeightsFile{}, errors.New("nothing is set aside")
	}
	b, err := e.store.Get(asideKey(e.name))
	if err != nil || b == nil {
		return protocol.WeightsFile{}, fmt.Errorf("no unreadable %s model is set aside", e.name)
	}
	return protocol.WeightsFile{Type: protocol.TWeights, Name: e.entry.FileName() + "-unreadable.safetensors", Bytes: b}, nil
}
