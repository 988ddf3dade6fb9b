package browsertest

import (
	"regexp"
)

var valLossRE = regexp.MustCompile(`val_loss: (\d+\.\d+)`)

// valLosses reads the val losses from the page's Keras-like log, the
// "before training" line first.
func (p *page) valLosses() []float64 { return p.valLossesIn("document") }
