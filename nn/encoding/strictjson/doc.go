// Package strictjson is a small, strict JSON reader and writer for the
// headers of weights files. encoding/json would do, but it brings reflect
// and much of the standard library into the WebAssembly binary the page
// must download before it shows anything; headers need only objects,
// arrays, strings, integers and the three literals. Parse refuses what the
// specification refuses (and nesting deeper than a header needs), with an
// error that says where.
package strictjson
