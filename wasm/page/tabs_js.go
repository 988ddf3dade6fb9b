//go:build js && wasm

package page

import (
	"strconv"
	"strings"

	"aeplay/nn/catalog"
	"aeplay/wasm/dom"
)

// bindTabs makes buttons a tab list: a click, or the arrow keys of the ARIA
// tabs pattern (which also move the focus), selects a tab.
func bindTabs(tabs []dom.Element, selectTab func(dom.Element)) {
	for i, tab := range tabs {
		tab.On("click", func(dom.Event) { selectTab(tab) })
		tab.On("keydown", func(e dom.Event) {
			j := -1
			step := 0
			switch e.Key() {
			case "ArrowRight":
				step = 1
			case "ArrowLeft":
				step = len(tabs) - 1
			}
			// The next tab on show (a hidden tab is skipped).
			for k := 1; step != 0 && k < len(tabs); k++ {
				if c := (i + k*step) % len(tabs); !tabs[c].Prop("hidden").Bool() {
					j = c
					break
				}
			}
			if j >= 0 {
				e.PreventDefault()
				tabs[j].Focus()
				selectTab(tabs[j])
			}
		})
	}
}

// markSelected selects the tab whose attr is value: aria-selected, and the
// only one in the tab order.
func markSelected(tabs []dom.Element, attr, value string) {
	for _, tab := range tabs {
		on := tab.Attr(attr) == value
		tab.SetAttr("aria-selected", strconv.FormatBool(on))
		if on {
			tab.SetAttr("tabindex", "0")
		} else {
			tab.SetAttr("tabindex", "-1")
		}
	}
}

// modelTabs are the header's model tabs and the story column's article for
// each model.
type modelTabs struct {
	tabs, stories []dom.Element
}

// newModelTabs binds the tabs; pick is the intent of choosing one.
func newModelTabs(pick func(model string)) *modelTabs {
	t := &modelTabs{tabs: dom.ByID("model-tabs").QueryAll("[role=tab]"), stories: dom.Body().QueryAll(".story article")}
	bindTabs(t.tabs, func(tab dom.Element) {
		// The custom tab only marks a custom model on show: a click on it
		// leaves that model as it is.
		if m := tab.Attr("data-model"); m != customTab {
			pick(m)
		}
	})
	return t
}

// customTab is the tab and story of a model that is not in the catalogue.
const customTab = "custom"

// show selects the entry's tab and story; a custom model's tab appears
// when one is on show, and its story gives the model's spec.
func (t *modelTabs) show(e catalog.Entry) {
	key := e.Name
	if e.Custom {
		key = customTab
		dom.ByID("custom-spec").SetText(strings.ReplaceAll(e.Spec.String(), ";", "; "))
	}
	markSelected(t.tabs, "data-model", key)
	for _, tab := range t.tabs {
		if tab.Attr("data-model") == customTab {
			tab.SetHidden(!e.Custom)
		}
	}
	for _, art := range t.stories {
		art.SetHidden(art.Attr("data-model") != key)
	}
}
