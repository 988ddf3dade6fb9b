//go:build js && wasm

package page

import (
	"strconv"

	"aeplay/wasm/dom"
)

// bindTabs makes buttons a tab list: a click, or the arrow keys of the ARIA
// tabs pattern (which also move the focus), selects a tab.
func bindTabs(tabs []dom.Element, selectTab func(dom.Element)) {
	for i, tab := range tabs {
		tab.On("click", func(dom.Event) { selectTab(tab) })
		tab.On("keydown", func(e dom.Event) {
			j := -1
			switch e.Key() {
			case "ArrowRight":
				j = (i + 1) % len(tabs)
			case "ArrowLeft":
				j = (i + len(tabs) - 1) % len(tabs)
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
	bindTabs(t.tabs, func(tab dom.Element) { pick(tab.Attr("data-model")) })
	return t
}

// show selects model's tab and story.
func (t *modelTabs) show(model string) {
	markSelected(t.tabs, "data-model", model)
	for _, art := range t.stories {
		art.SetHidden(art.Attr("data-model") != model)
	}
}
