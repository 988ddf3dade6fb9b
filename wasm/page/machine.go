package page

import "fmt"

// Phase is what the page is doing: exactly one at a time, mirrored on
// <body data-state> for styling and tests.
type Phase string

const (
	Loading     Phase = "loading"     // a model is on its way; one may be on show
	Idle        Phase = "idle"        // a model is on show; nothing runs
	Downloading Phase = "downloading" // a run fetches its data and builds its model
	Training    Phase = "training"
	Paused      Phase = "paused"
	Broken      Phase = "error" // the workers died; Reset starts new ones
)

// Event is what moves the page from one phase to another. Every request
// the page makes ends in one, success or not: a request that fails says
// Failed (or Done, for a run), so no phase waits for a reply that will not
// come.
type Event string

const (
	Load    Event = "load"    // a model is asked for: the first, another tab, Reset, a file, the reader's data
	Shown   Event = "shown"   // a model's grid is on show
	Failed  Event = "failed"  // a request to show a model failed; the model on show, if any, stays
	Train   Event = "train"   // a run is asked for
	Step    Event = "step"    // the run reports progress, running
	Pause   Event = "pause"   // the run reports progress, paused
	Resume  Event = "resume"  // the reader resumed a paused run
	Done    Event = "done"    // the run ended: finished, stopped or failed
	Crashed Event = "crashed" // a worker died, or the workers could not start
)

// transitions is the whole machine: for each phase, where each event
// leads. An event a phase does not list is a bug in the page (or a late
// message of a run already over) and leaves the phase as it is. Failed
// while loading leads to Idle only if a model is on show (see Machine.Fire).
var transitions = map[Phase]map[Event]Phase{
	Loading:     {Load: Loading, Shown: Idle, Failed: Idle, Crashed: Broken},
	Idle:        {Load: Loading, Train: Downloading, Crashed: Broken},
	Downloading: {Step: Training, Pause: Paused, Done: Idle, Load: Loading, Crashed: Broken},
	Training:    {Step: Training, Pause: Paused, Done: Idle, Load: Loading, Crashed: Broken},
	Paused:      {Step: Paused, Pause: Paused, Resume: Training, Done: Idle, Load: Loading, Crashed: Broken},
	Broken:      {Load: Loading, Crashed: Broken},
}

// Machine holds the page's phase, and whether a model is on show (what a
// failed load falls back to).
type Machine struct {
	phase Phase
	shown bool
}

// NewMachine starts in Loading, with nothing on show.
func NewMachine() *Machine { return &Machine{phase: Loading} }

// Phase is the current phase.
func (m *Machine) Phase() Phase { return m.phase }

// Fire moves the machine by e and returns the new phase; an event the
// phase does not expect is an error, and the phase stays.
func (m *Machine) Fire(e Event) (Phase, error) {
	to, ok := transitions[m.phase][e]
	if !ok {
		return m.phase, fmt.Errorf("event %q in phase %q", e, m.phase)
	}
	switch {
	case e == Shown:
		m.shown = true
	case e == Crashed:
		m.shown = false
	case e == Failed && !m.shown:
		to = Broken // nothing to fall back to: Reset starts again
	}
	m.phase = to
	return to, nil
}

// Running reports whether a run is under way (fetching, training or
// paused).
func (p Phase) Running() bool { return p == Downloading || p == Training || p == Paused }

// Buttons is how the controls look in a phase: the Train button's icon and
// label, and what is enabled. trained says the weights on show are not the
// pretrained ones (so Reset has something to bring back); broken workers
// always offer Reset.
type Buttons struct {
	TrainIcon, TrainLabel                string
	Train, Step, Stop, Reset, Save, Load bool
	Restore                              bool // bring back the previous kept model (shown only when there is one)
	Settings, Workers                    bool // the run's settings, the worker count
}

// ButtonsFor returns the controls for phase p.
func ButtonsFor(p Phase, trained bool) Buttons {
	b := Buttons{TrainIcon: "play", TrainLabel: "Train"}
	switch p {
	case Training:
		b.TrainIcon, b.TrainLabel = "pause", "Pause"
	case Paused:
		b.TrainLabel = "Resume"
	case Downloading, Loading:
		b.TrainIcon, b.TrainLabel = "", "Loading…"
	}
	run := p == Training || p == Paused
	b.Train = p == Idle || run
	b.Step, b.Stop = run, run
	b.Reset = p == Broken || p.Running() || p == Idle && trained
	b.Save, b.Load, b.Restore = p == Idle, p == Idle, p == Idle
	b.Settings = !p.Running()
	b.Workers = !p.Running() && p != Loading
	return b
}
