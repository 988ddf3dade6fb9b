package browsertest

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestSparseModel: an L1 penalty put on the simple model's code in the
// editor is the post's sparse model (pretrained, on its tab); a quick run
// logs each epoch's val_loss, which includes the penalty, with the val BCE
// alone below it and the code's mean; the comparison shows the mean codes
// of the sparse and the simple model side by side, and the histogram of
// their code values more of the sparse one's at 0.
func TestSparseModel(t *testing.T) {
	ts := serve(t, nil)
	p := openIdle(t, ts.URL+"/#model=simple")
	p.click("edit-model")
	if err := p.selectValue(`[data-key="0:penalty"]`, "L1"); err != nil {
		t.Fatal(err)
	}
	p.waitFor("the sparse model", `document.body.dataset.state === "idle" && document.querySelector("#model-tabs [aria-selected=true]")?.id === "tab-sparse"`, 20*time.Second)
	if src := p.text("source"); !strings.HasPrefix(src, "Pretrained: 100 epochs") {
		t.Errorf("the sparse model's source line: %q", src)
	}
	p.click("edit-model")
	p.click("train")
	p.waitFor("the quick run", `document.getElementById("log").textContent.includes("Epoch 5/5") && document.body.dataset.state === "idle"`, 120*time.Second)
	line := regexp.MustCompile(`Epoch 5/5 .* - val_loss: ([0-9.]+) - val_bce: ([0-9.]+) - mean code: ([0-9.]+)`).FindStringSubmatch(p.text("log"))
	if line == nil {
		t.Fatalf("the log's last epoch lacks the penalty's parts:\n%s", p.text("log"))
	}
	if !(line[2] < line[1]) { // same width: the strings compare as the numbers
		t.Errorf("val_bce %s is not below the val_loss %s, which includes the penalty", line[2], line[1])
	}
	p.click("xtab-compare")
	p.click("compare-go")
	p.waitFor("the comparison", `document.body.dataset.compared !== undefined`, 60*time.Second)
	cell := func(model string) string {
		return eval[string](p, `(() => { const h = [...document.querySelectorAll("#compare-table th")].findIndex(th => th.textContent === "mean code");
			return document.querySelector('#compare-table tr[data-model="`+model+`"]').children[h].textContent })()`)
	}
	if s, plain := cell("sparse"), cell("simple"); s == "–" || plain != "8.683" {
		t.Errorf("mean codes in the comparison: sparse %s, simple %s", s, plain)
	}
	// The histogram of code values: the sparse model's pile up at 0.
	p.waitFor("the histogram", `document.body.dataset.histogram === "2"`, 30*time.Second)
	info := p.text("code-hist-info")
	zeros := regexp.MustCompile(`(\d+)% of the values exactly 0`).FindAllStringSubmatch(info, -1)
	if len(zeros) != 2 || !strings.Contains(info, "the sparse model") || !strings.Contains(info, "the simple model") {
		t.Fatalf("the histogram's caption: %q", info)
	}
	if a, b := atoi(zeros[0][1]), atoi(zeros[1][1]); !(a > b) {
		t.Errorf("%d%% of the sparse code's values are 0, %d%% of the simple one's: %q", a, b, info)
	}
	if p.inked("code-hist") < 200 {
		t.Error("the histogram is not drawn")
	}
	p.noConsoleErrors()
}

// selectValue picks an option of the select the CSS selector names, as a
// reader's choice does (a change event).
func (p *page) selectValue(sel, value string) error {
	if !eval[bool](p, `(() => { const s = document.querySelector(`+jsString(sel)+`); if (!s) return false; s.value = `+jsString(value)+`;
		if (s.value !== `+jsString(value)+`) return false; s.dispatchEvent(new Event("change")); return true })()`) {
		return fmt.Errorf("no option %q in %s", value, sel)
	}
	return nil
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}
