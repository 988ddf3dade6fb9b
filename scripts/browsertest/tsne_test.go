package browsertest

import (
	"fmt"
	"testing"
	"time"
)

// TestTSNE: t-SNE of the pretrained conv model's codes of the 10,000 test
// digits runs in the worker, its points drawn as they move, to its end;
// its 10-nearest-neighbour label agreement in the plane is printed beside
// the PCA map's, and is higher (make bench prints the BENCH line); a
// hovered point still shows its digit; back to PCA, the map is PCA's.
func TestTSNE(t *testing.T) {
	ts := serve(t, nil)
	p := openIdle(t, ts.URL+"/#model=conv")
	p.click("xtab-map")
	p.click("map-tsne")
	p.waitFor("t-SNE's first frames", `document.getElementById("map-info").textContent.startsWith("t-SNE: iteration")`, 60*time.Second)
	p.waitFor("t-SNE's end", `document.body.dataset.tsne === "done"`, 240*time.Second)
	ts2, pca := p.num("tsneAgreement"), p.num("mapAgreement")
	fmt.Printf("BENCH t-SNE: %v codes of the conv model, 500 iterations, %v s in the worker; 10-NN label agreement in 2-D: t-SNE %.3f, PCA %.3f\n",
		p.num("mapPoints"), p.num("tsneSeconds"), ts2, pca)
	if !(ts2 > pca) {
		t.Errorf("t-SNE's 10-NN label agreement %.3f is not above PCA's %.3f", ts2, pca)
	}
	if p.inked("map") < 5000 {
		t.Errorf("the t-SNE map is nearly empty (%d inked pixels)", p.inked("map"))
	}
	pt := p.mapPoint()
	p.mouse(moved, pt[0], pt[1], 0)
	p.waitFor("the hovered digit", `document.body.dataset.peeked !== undefined`, 10*time.Second)
	p.shot("29-tsne", "explore")
	p.click("map-pca")
	p.waitFor("the PCA map back", `document.getElementById("map-info").textContent.includes("principal components")`, 10*time.Second)
	p.noConsoleErrors()
}
