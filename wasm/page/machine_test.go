package page

import "testing"

func TestMachineRuns(t *testing.T) {
	m := NewMachine()
	for _, c := range []struct {
		e    Event
		want Phase
	}{
		{Shown, Idle}, {Train, Downloading}, {Step, Training}, {Pause, Paused}, {Step, Paused},
		{Resume, Training}, {Done, Idle}, {Load, Loading}, {Failed, Idle}, {Crashed, Broken}, {Load, Loading},
	} {
		if got, err := m.Fire(c.e); err != nil || got != c.want {
			t.Fatalf("%s: %s, %v; want %s", c.e, got, err, c.want)
		}
	}
	// The workers died, so nothing is on show: a failed load has nothing
	// to fall back to.
	if got, _ := m.Fire(Failed); got != Broken {
		t.Errorf("a failed load with nothing on show: %s, want %s", got, Broken)
	}
}

func TestMachineRefusesWhatAPhaseDoesNotExpect(t *testing.T) {
	m := NewMachine()
	m.Fire(Shown)
	if got, err := m.Fire(Done); err == nil || got != Idle {
		t.Errorf("a run's end while idle: %s, %v", got, err)
	}
	if got, err := m.Fire(Resume); err == nil || got != Idle {
		t.Errorf("resume while idle: %s, %v", got, err)
	}
}

// TestNoPhaseIsStuck: from every phase the page can get back to Idle, and
// in every phase that does not wait for a reply the reader has an enabled
// control that leads somewhere (Train, Stop or Reset).
func TestNoPhaseIsStuck(t *testing.T) {
	for from := range transitions {
		seen := map[Phase]bool{from: true}
		queue := []Phase{from}
		for len(queue) > 0 {
			p := queue[0]
			queue = queue[1:]
			for _, to := range transitions[p] {
				if !seen[to] {
					seen[to] = true
					queue = append(queue, to)
				}
			}
		}
		if !seen[Idle] {
			t.Errorf("from %s the page never gets back to idle", from)
		}
		if _, ok := transitions[from][Crashed]; !ok {
			t.Errorf("%s does not handle a crashed worker", from)
		}
		b := ButtonsFor(from, false)
		waits := from == Loading || from == Downloading
		if !waits && !b.Train && !b.Stop && !b.Reset {
			t.Errorf("%s: no enabled control leads out: %+v", from, b)
		}
	}
}

func TestButtonsFor(t *testing.T) {
	for _, c := range []struct {
		p                   Phase
		trained             bool
		label               string
		train, reset, save  bool
		settings, stepOrRun bool
	}{
		{Loading, false, "Loading…", false, false, false, true, false},
		{Idle, false, "Train", true, false, true, true, false},
		{Idle, true, "Train", true, true, true, true, false},
		{Downloading, false, "Loading…", false, true, false, false, false},
		{Training, false, "Pause", true, true, false, false, true},
		{Paused, false, "Resume", true, true, false, false, true},
		{Broken, false, "Train", false, true, false, true, false},
	} {
		b := ButtonsFor(c.p, c.trained)
		if b.TrainLabel != c.label || b.Train != c.train || b.Reset != c.reset || b.Save != c.save || b.Settings != c.settings || b.Step != c.stepOrRun || b.Stop != c.stepOrRun {
			t.Errorf("%s (trained %v): %+v", c.p, c.trained, b)
		}
	}
}
