package strictjson

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// TestJSONAgreesWithEncodingJSON checks the small parser against the
// standard library on valid documents, and that it rejects invalid ones.
func TestJSONAgreesWithEncodingJSON(t *testing.T) {
	valid := []string{
		`{}`, `[]`, `{"a":[1,2,{"b":null}],"c":true,"d":false}`, `{"s":"\u00e9\ud83d\ude00\n\t\"\\\/"}`,
		` { "x" : -12.5e+3 , "y" : [ ] } `, `{"__metadata__":{"k":"v"},"t":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]}}`,
	}
	for _, s := range valid {
		got, err := Parse(s)
		if err != nil {
			t.Errorf("%s: %v", s, err)
			continue
		}
		var want any
		json.Unmarshal([]byte(s), &want)
		if !reflect.DeepEqual(normalize(got), want) {
			t.Errorf("%s: got %#v, want %#v", s, got, want)
		}
	}
	invalid := []string{`{`, `{"a":}`, `{"a" 1}`, `[1,]`, `{"a":1,"a":2}`, `01`, `"\x01"`, `{"a":tru}`, `{} {}`,
		strings.Repeat("[", 100) + strings.Repeat("]", 100), "\"\xff\""}
	for _, s := range invalid {
		if _, err := Parse(s); err == nil {
			t.Errorf("%q: accepted", s)
		}
	}
}

// normalize turns Number into float64 as encoding/json produces.
func normalize(v any) any {
	switch x := v.(type) {
	case Number:
		var f float64
		json.Unmarshal([]byte(x), &f)
		return f
	case []any:
		for i := range x {
			x[i] = normalize(x[i])
		}
	case map[string]any:
		for k := range x {
			x[k] = normalize(x[k])
		}
	}
	return v
}

func TestJSONQuoteRoundTrips(t *testing.T) {
	for _, s := range []string{"plain", `quote " and \ backslash`, "tab\tnewline\n", "é😀", "\x00\x1f"} {
		var b strings.Builder
		Quote(&b, s)
		var back string
		if err := json.Unmarshal([]byte(b.String()), &back); err != nil || back != s {
			t.Errorf("%q -> %s -> %q (%v)", s, b.String(), back, err)
		}
	}
}
