package strictjson

import (
	"aeplay/internal/alloctest"
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

// FuzzParse: no input makes the parser panic or allocate more than a
// bounded multiple of its size, and what it accepts encoding/json accepts
// and reads alike.
func FuzzParse(f *testing.F) {
	for _, s := range []string{`{}`, `{"a":[1,2,{"b":null}]}`, `"\ud83d\ude00"`, `[[[[1]]]]`, `{"a":1,"a":2}`, `-0.5e-3`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var v any
		var err error
		// Every value costs at most an interface, a map or slice header and
		// its element: a small constant per input byte.
		alloctest.Check(t, "strictjson.Parse", len(s), 64, func() { v, err = Parse(s) })
		if err != nil {
			return
		}
		if !json.Valid([]byte(s)) {
			t.Fatalf("accepted %q, which encoding/json refuses", s)
		}
		var want any
		if json.Unmarshal([]byte(s), &want) != nil {
			return // valid, but a number beyond float64 (1E1000): no value to compare
		}
		if got := normalize(v); !reflect.DeepEqual(got, want) {
			t.Fatalf("%q: read %#v, encoding/json reads %#v", s, got, want)
		}
	})
}
