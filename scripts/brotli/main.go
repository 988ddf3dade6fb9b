// Command brotli compresses a file as name.br, at brotli's best quality:
// the build's precompressed wasm, which the dev server sends to browsers
// that accept br (every current one, localhost included). At quality 11
// with a 16 MB window it makes the wasm about a quarter smaller than
// gzip -9 does (make build prints both sizes): the difference is the first
// load's budget for everything else. It takes some ten seconds, once per
// build.
//
//	go run ./scripts/brotli web/app.wasm
package main

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"

	"github.com/andybalholm/brotli"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: brotli FILE (writes FILE.br)")
		os.Exit(2)
	}
	if err := compress(os.Args[1], os.Args[1]+".br"); err != nil {
		fmt.Fprintln(os.Stderr, "brotli:", err)
		os.Exit(1)
	}
	report(os.Args[1], ".gz", ".br")
}

// compress writes src's brotli stream to dst, through a temporary file so
// an interrupted build leaves no truncated .br that looks current.
func compress(src, dst string) error {
	in, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(dst), ".brotli-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	bw := bufio.NewWriter(tmp)
	zw := brotli.NewWriterOptions(bw, brotli.WriterOptions{Quality: brotli.BestCompression, LGWin: 24})
	if _, err := zw.Write(in); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), dst)
}

// report prints the sizes of a file and of its compressed copies that exist.
func report(name string, exts ...string) {
	line := name
	for _, ext := range append([]string{""}, exts...) {
		if st, err := os.Stat(name + ext); err == nil {
			line += fmt.Sprintf("  %s%s %d bytes", filepath.Base(name), ext, st.Size())
		}
	}
	fmt.Println(line)
}
