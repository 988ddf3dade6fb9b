//go:build js && wasm

package page

import (
	"fmt"
	"math"
	"strconv"

	"aeplay/internal/numfmt"
	"aeplay/wasm/dom"
	"aeplay/wasm/protocol"
)

// tsneState is the latent map's second projection: a t-SNE of the codes,
// run in the worker, its points drawn as they move. The PCA map stays, to
// go back to.
type tsneState struct {
	runBtn, pcaBtn dom.Element
	pca            *protocol.Latent // the map the run started from
	running        bool
}

func (s *tsneState) init(v *mapView) {
	s.runBtn, s.pcaBtn = dom.ByID("map-tsne"), dom.ByID("map-pca")
	s.runBtn.On("click", func(dom.Event) {
		if s.running {
			v.rq.request(protocol.Control{Type: protocol.TTSNEStop}.Fields(), reply{})
			return
		}
		s.start(v)
	})
	s.pcaBtn.On("click", func(dom.Event) {
		if s.pca != nil {
			v.latent, v.scatter = s.pca, nil
			v.render()
		}
		s.pcaBtn.SetHidden(true)
	})
}

func (s *tsneState) start(v *mapView) {
	if v.latent == nil { // the map first: its digits' labels colour the points
		ask(v.rq, protocol.Control{Type: protocol.TLatent}.Fields(), v.drawBtn, "Encoding the test digits…", "Draw the map",
			protocol.DecodeLatent, func(l protocol.Latent) { v.onLatent(l); s.start(v) },
			func(e protocol.Error) { v.info.SetText("Could not draw the map: " + e.Message + ".") })
		return
	}
	s.running = true
	s.runBtn.SetText("Stop t-SNE")
	v.info.SetText("t-SNE: finding each code's nearest neighbours…")
	v.rq.request(protocol.Control{Type: protocol.TTSNE}.Fields(), reply{
		ok: func(m protocol.Object) {
			if f, err := protocol.DecodeTSNE(m); err == nil {
				v.onTSNE(f)
			}
		},
		failed: func(e protocol.Error) {
			s.idle()
			v.info.SetText("t-SNE could not run: " + e.Message + ".")
		},
	})
}

func (s *tsneState) idle() {
	s.running = false
	s.runBtn.SetText("t-SNE of the codes")
}

// reset forgets a run of another model's codes (the worker has stopped it).
func (s *tsneState) reset(v *mapView) {
	s.idle()
	s.pca = nil
	s.pcaBtn.SetHidden(true)
}

// onTSNE draws a frame of the run.
func (v *mapView) onTSNE(f protocol.TSNE) {
	s := &v.tsne
	if !s.running || v.latent == nil || f.N != v.latent.N {
		return // a frame of a run this map no longer shows
	}
	if s.pca == nil || s.pca.Projection == protocol.ProjectionTSNE {
		s.pca = v.latent
	}
	l := *s.pca
	l.Points, l.Projection = f.Points, protocol.ProjectionTSNE
	v.latent, v.scatter = &l, nil
	v.render()
	v.hint.SetText("The same test digits placed by t-SNE, which keeps each code's nearest neighbours near: clusters mean similar codes, but distances between clusters and the axes mean nothing, and no point decodes. Hover a point to see its digit; click two to interpolate between them.")
	ds := dom.Body().V.Get("dataset")
	if !f.Done {
		v.info.SetText(fmt.Sprintf("t-SNE: iteration %d of %d, %.0f s.", f.Iter, f.Iterations, f.Seconds))
		return
	}
	s.idle()
	s.pcaBtn.SetHidden(false)
	what := "after all its iterations"
	if f.Stopped {
		what = fmt.Sprintf("stopped at iteration %d of %d", f.Iter, f.Iterations)
	}
	info := fmt.Sprintf("t-SNE of the %s codes (perplexity 30, Barnes-Hut, seed 1), %s, in %.1f s.", numfmt.Thousands(f.N), what, f.Seconds)
	if !math.IsNaN(f.Agreement) {
		other := "the PCA map's"
		if s.pca.Projection == "code" {
			other = "the code's own plane's"
		}
		info += fmt.Sprintf(" Of each digit's 10 nearest neighbours in the plane, %.0f%% are the same digit here, %.0f%% on %s.", 100*f.Agreement, 100*f.MapAgreement, other)
		ds.Set("tsneAgreement", strconv.FormatFloat(f.Agreement, 'f', 4, 64))
		ds.Set("mapAgreement", strconv.FormatFloat(f.MapAgreement, 'f', 4, 64))
	}
	v.info.SetText(info)
	ds.Set("tsneSeconds", strconv.FormatFloat(f.Seconds, 'f', 2, 64))
	ds.Set("tsne", map[bool]string{true: "stopped", false: "done"}[f.Stopped])
}
