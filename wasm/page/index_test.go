package page

import (
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	"aeplay/nn/catalog"
)

// TestIndexIDsAreUnique: dom.ByID finds the first element of an id, so a
// second one is a view bound to the wrong element (a canvas named like a
// form field once was).
func TestIndexIDsAreUnique(t *testing.T) {
	b, err := os.ReadFile("../../index.html")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, m := range regexp.MustCompile(`\sid="([^"]+)"`).FindAllStringSubmatch(string(b), -1) {
		if seen[m[1]] {
			t.Errorf("id %q comes twice in index.html", m[1])
		}
		seen[m[1]] = true
	}
	if len(seen) < 50 {
		t.Errorf("only %d ids read: the pattern misses them", len(seen))
	}
}

// TestIndexTabsMatchTheCatalogue: each model tab says how many layers its
// model has (data-layers), so that the loader can keep the layer table's
// rows before the page's code runs (a tab that says wrong would make the
// page move), and which model a denoiser is shown beside (data-baseline),
// whose weights the loader fetches too.
func TestIndexTabsMatchTheCatalogue(t *testing.T) {
	b, err := os.ReadFile("../../index.html")
	if err != nil {
		t.Fatal(err)
	}
	tabs := regexp.MustCompile(`<button role="tab" id="tab-[^"]+" data-model="([^"]+)"[^>]*>`).FindAllStringSubmatch(string(b), -1)
	if len(tabs) < len(catalog.Names()) {
		t.Fatalf("%d model tabs read, the catalogue has %d models", len(tabs), len(catalog.Names()))
	}
	for _, tab := range tabs {
		name := tab[1]
		if name == "custom" {
			continue
		}
		m, err := catalog.New(name)
		if err != nil {
			t.Errorf("tab %s: %v", name, err)
			continue
		}
		want := fmt.Sprintf(`data-layers="%d"`, len(m.Layers))
		if !strings.Contains(tab[0], want) {
			t.Errorf("tab %s: want %s in %s", name, want, tab[0])
		}
		e, _ := catalog.Lookup(name)
		// The loader shows the test set's first digits in the first row
		// until it is drawn, unless the tab has a baseline: a model whose
		// first row is its noisy input must have one.
		if (e.Noise > 0) != (e.Baseline != "") {
			t.Errorf("tab %s: a model trained on noisy input is shown beside a baseline, and only such a model", name)
		}
		if base := fmt.Sprintf(`data-baseline="%s"`, e.Baseline); (e.Baseline != "") != strings.Contains(tab[0], "data-baseline") || e.Baseline != "" && !strings.Contains(tab[0], base) {
			t.Errorf("tab %s: want %s in %s", name, base, tab[0])
		}
	}
}
