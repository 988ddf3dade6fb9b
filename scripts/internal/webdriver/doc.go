// Package webdriver drives Firefox and WebKit for the browser tests, as
// scripts/internal/browser starts Chromium for chromedp: Firefox over
// WebDriver BiDi (its built-in remote agent, no geckodriver), WebKitGTK over
// W3C WebDriver (WebKitWebDriver, its MiniBrowser in an Xvfb display). Both
// offer the few verbs the tests use: open a page at a size, evaluate an
// expression (awaiting a promise) and decode its JSON, take a screenshot,
// and, where the protocol has them (BiDi), the console's errors.
package webdriver
