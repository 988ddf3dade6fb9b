package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/andybalholm/brotli"
)

func TestCompressRoundTrips(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "a.wasm")
	want := bytes.Repeat([]byte("\x00asm some wasm-like bytes "), 5000)
	os.WriteFile(src, want, 0o644)
	if err := compress(src, src+".br"); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(src + ".br")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, err := io.ReadAll(brotli.NewReader(f))
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("round trip: %d bytes, %v", len(got), err)
	}
	if st, _ := f.Stat(); st.Size() > int64(len(want))/20 {
		t.Errorf("%d bytes compressed to %d", len(want), st.Size())
	}
	if err := compress(filepath.Join(dir, "missing"), src+".br"); err == nil {
		t.Error("a missing file compressed")
	}
}
