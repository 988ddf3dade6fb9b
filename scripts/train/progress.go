package main

import (
	"aeplay/nn/train"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

// progress draws Keras' in-epoch progress bar on a terminal, and nothing
// when the output is a file or a pipe (a log should hold the epoch lines
// only).
type progress struct {
	w     io.Writer
	tty   bool
	last  time.Time
	drawn bool
}

func newProgress(w io.Writer) *progress {
	f, ok := w.(*os.File)
	tty := false
	if ok {
		if st, err := f.Stat(); err == nil {
			tty = st.Mode()&os.ModeCharDevice != 0
		}
	}
	return &progress{w: w, tty: tty}
}

func (p *progress) batch(b train.BatchInfo) bool {
	if !p.tty || (time.Since(p.last) < 100*time.Millisecond && b.Batch != b.Batches) {
		return true
	}
	p.last = time.Now()
	const width = 30
	done := width * b.Batch / b.Batches
	bar := strings.Repeat("=", done)
	if done < width {
		bar += ">" + strings.Repeat(".", width-done-1)
	}
	eta := time.Duration(float64(b.Elapsed) / float64(b.Batch) * float64(b.Batches-b.Batch)).Round(time.Second)
	fmt.Fprintf(p.w, "\r%d/%d [%s] - ETA: %s - loss: %.4f ", b.Batch, b.Batches, bar, eta, b.Loss)
	p.drawn = true
	return true
}

func (p *progress) clear() {
	if p.drawn {
		fmt.Fprintf(p.w, "\r%s\r", strings.Repeat(" ", 79))
		p.drawn = false
	}
}
