package page

import (
	"os"
	"regexp"
	"testing"
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
