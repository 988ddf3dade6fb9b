package page

import (
	"slices"
	"strings"
	"testing"
)

// TestEmbedSnippet: the snippet's address, read back, is an embed of the
// same model and recipe showing exactly the chosen controls, with the
// theme, autostart and weights asked; the attribute is escaped.
func TestEmbedSnippet(t *testing.T) {
	s := Defaults("input(784);dense(16,linear)*;dense(784,linear);loss(mse)")
	s.Epochs, s.Workers = 7, 3
	s.Preset = s.MatchPreset()
	c := EmbedChoice{Show: []string{"epochs", "save"}, Theme: "dark", Autostart: true, Weights: "https://blog.example/m/my%20model.safetensors?v=2&x=1"}
	snip := Snippet("https://host.example/play/", Embedded(s, c), `your "model"`)
	if !strings.HasPrefix(snip, `<iframe src="https://host.example/play/#model=input(784);dense(16,linear)*;`) || !strings.HasSuffix(snip, `title="Autoencoder Playground: your &quot;model&quot;"></iframe>`) {
		t.Fatalf("snippet %s", snip)
	}
	src := snip[len(`<iframe src="`):strings.Index(snip, `" sandbox=`)]
	if strings.Contains(src, `"`) || strings.Contains(strings.ReplaceAll(src, "&amp;", ""), "&x") {
		t.Fatalf("the src attribute is not escaped: %s", src)
	}
	_, hash, _ := strings.Cut(strings.ReplaceAll(src, "&amp;", "&"), "#")
	got, problems := ParseHash(hash)
	if len(problems) > 0 {
		t.Fatalf("the snippet's address has problems: %v", problems)
	}
	if got.Model != s.Model || got.Epochs != 7 || !got.Embed || got.Theme != "dark" || !got.Autostart || got.Weights != c.Weights || got.Workers != 0 {
		t.Errorf("the snippet's settings %+v", got)
	}
	for _, name := range Controls {
		if want := !slices.Contains(c.Show, name); got.Hidden(name) != want {
			t.Errorf("%s hidden %v, want %v", name, got.Hidden(name), want)
		}
	}
	if back := EmbedChoiceOf(got); !slices.Equal(back.Show, c.Show) || back.Weights != c.Weights {
		t.Errorf("the dialog reopened on the embed shows %+v", back)
	}
	if d := EmbedChoiceOf(Defaults("conv")); !slices.Equal(d.Show, EmbedControls) {
		t.Errorf("the dialog's defaults show %v, want %v", d.Show, EmbedControls)
	}
}

// TestWeightsURL: weights= is an http(s) address or a path on the site;
// anything else is reported and dropped.
func TestWeightsURL(t *testing.T) {
	for _, ok := range []string{"https://a.example/w.safetensors", "HTTP://127.0.0.1:8000/x", "models/mine.safetensors", "/m.safetensors", "//cdn.example/x"} {
		if s, p := ParseHash("model=simple&weights=" + queryEscape(ok)); len(p) > 0 || s.Weights != ok {
			t.Errorf("%s: %q, %v", ok, s.Weights, p)
		}
	}
	for _, bad := range []string{"javascript:alert(1)", "data:application/octet-stream;base64,AAAA", "file:///etc/passwd", "blob:https://x/1", "https://a b", strings.Repeat("a", MaxWeightsURL+1)} {
		if s, p := ParseHash("model=simple&weights=" + queryEscape(bad)); len(p) != 1 || s.Weights != "" || s.Model != "simple" {
			t.Errorf("%.40s: kept %q, problems %v", bad, s.Weights, p)
		}
	}
}
