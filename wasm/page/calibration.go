package page

import (
	"fmt"
	"strconv"
	"strings"

	"aeplay/internal/numfmt"
	"aeplay/wasm/protocol"
)

// Worker counts are measured, not assumed: the reported core count is only
// a ceiling (WebKit reports 4 on a 2-core machine; for the small dense
// models a second worker's messages can cost more than its core brings).
// Unless the reader chose a count, a run's first Train measures each count
// from 1 to the workers started on a few steps of a throwaway model (the
// leader's protocol.Calibration), trains with the fastest, and the page
// keeps the measurement in localStorage by model, batch size and core count
// for the next run. A run much slower than its measurement (LooksWrong)
// drops it, so the next run measures again. The result of a run depends on
// its count only, and the log says which count made it.

// maxKept bounds the measurements kept, and maxKeptBytes what is read back.
const (
	maxKept      = 64
	maxKeptBytes = 64 << 10
)

// KeptCounts are worker-count measurements by CountKey.
type KeptCounts map[string]protocol.Calibration

// CountKey names a measurement: the best count depends on the model, the
// batch size and the machine (seen as its core count).
func CountKey(model string, batch, cores int) string {
	return strconv.Itoa(cores) + "|" + strconv.Itoa(batch) + "|" + model
}

// The kept measurements are text, a line each: the key, a tab, the
// chosen count, then count:samples/s pairs ("2|256|simple\t1\t1:96061
// 2:82000"): the page keeps encoding/json, and its size, out of its wasm.

// ParseKept reads kept measurements; what does not hold together (a value
// edited by hand, another version's) is dropped, never trusted.
func ParseKept(s string) KeptCounts {
	k := KeptCounts{}
	if len(s) > maxKeptBytes {
		return k
	}
	for _, line := range strings.Split(s, "\n") {
		key, rest, ok := strings.Cut(line, "\t")
		chosen, pairs, ok2 := strings.Cut(rest, "\t")
		if !ok || !ok2 || len(k) >= maxKept {
			continue
		}
		var c protocol.Calibration
		var err error
		if c.Chosen, err = strconv.Atoi(chosen); err != nil {
			continue
		}
		for _, p := range strings.Fields(pairs) {
			n, v, _ := strings.Cut(p, ":")
			ni, err1 := strconv.Atoi(n)
			vf, err2 := strconv.ParseFloat(v, 64)
			if err1 != nil || err2 != nil || len(c.Counts) >= protocol.MaxWorkers {
				c.Counts = nil
				break
			}
			c.Counts, c.SamplesPerSec = append(c.Counts, ni), append(c.SamplesPerSec, vf)
		}
		if c.Check() == nil {
			k[key] = c
		}
	}
	return k
}

// Keep adds a measurement, making room if there are maxKept already.
func (k KeptCounts) Keep(key string, c protocol.Calibration) {
	if _, ok := k[key]; !ok && len(k) >= maxKept {
		for old := range k {
			delete(k, old)
			break
		}
	}
	k[key] = c
}

func (k KeptCounts) String() string {
	var b strings.Builder
	for key, c := range k {
		if strings.ContainsAny(key, "\t\n") {
			continue // not a key the page makes
		}
		fmt.Fprintf(&b, "%s\t%d\t", key, c.Chosen)
		for i, n := range c.Counts {
			fmt.Fprintf(&b, " %d:%.0f", n, c.SamplesPerSec[i])
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// WorkersWhy says which count a measurement chose and why, for the
// header: "1 worker: 2 were slower for this model here".
func WorkersWhy(c protocol.Calibration) string {
	var others []string
	for _, n := range c.Counts {
		if n != c.Chosen {
			others = append(others, strconv.Itoa(n))
		}
	}
	head := plural(c.Chosen, "worker")
	if len(others) == 0 {
		return head
	}
	verb := "were"
	if len(others) == 1 && others[0] == "1" {
		verb = "was"
	}
	return fmt.Sprintf("%s: %s %s slower for this model here", head, joinAnd(others), verb)
}

// CalibrationLine is the log's line for a measurement: each count's speed
// and the count the run trains with.
func CalibrationLine(c protocol.Calibration) string {
	parts := make([]string, len(c.Counts))
	for i, n := range c.Counts {
		parts[i] = fmt.Sprintf("%s %s samples/s", plural(n, "worker"), numfmt.Thousands(int(c.SamplesPerSec[i]+0.5)))
	}
	return fmt.Sprintf("Measured %s: training with %s", strings.Join(parts, ", "), plural(c.Chosen, "worker"))
}

// LooksWrong reports an epoch of n workers at sps samples/s, lasting
// seconds, under half its measurement's speed for n: the machine or the
// tab changed (a busy machine, a tab in the background), so the count is
// measured again next time. An epoch shorter than minObserved is not
// judged: its validation, grid and messages weigh more than its steps.
func LooksWrong(c protocol.Calibration, n int, sps, seconds float64) bool {
	v := c.Speed(n)
	return seconds >= minObserved && v > 0 && sps > 0 && sps < v/2
}

// minObserved is the shortest epoch, in seconds, LooksWrong judges.
const minObserved = 3

func joinAnd(s []string) string {
	if len(s) < 2 {
		return strings.Join(s, "")
	}
	return strings.Join(s[:len(s)-1], ", ") + " and " + s[len(s)-1]
}
