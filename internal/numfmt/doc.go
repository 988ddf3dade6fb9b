// Package numfmt formats numbers as the playground shows them, on the page
// and in the native tools' logs alike: thousands separators for counts, four
// significant digits for losses, m:ss for durations.
package numfmt
