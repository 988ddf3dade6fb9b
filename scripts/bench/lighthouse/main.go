// Command lighthouse measures the page's first load with Lighthouse 12.2.3
// (pinned in scripts/bench/package.json) in Debian's Chromium, with the
// mobile preset (Lighthouse's default: a mid-range phone, its CPU slowed
// 4× and a slow 4G network, both simulated) and the desktop one, and
// prints each preset's median performance score, FCP, LCP, TBT, CLS and
// Speed Index over the runs. It serves the built site itself, as the
// browser tests do (with the precompressed wasm). Run by `make bench`.
//
//	go run ./scripts/bench/lighthouse [-runs 5] [-dir .] [-url http://…/]
//
// A shared machine is noisy, the total blocking time most of all (it is
// the main thread's long tasks, times four on the mobile preset): compare
// medians of several runs taken in the same period, the presets
// alternating.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"

	"aeplay/scripts/internal/site"
)

func main() {
	runs := flag.Int("runs", 5, "runs of each preset; medians are printed")
	dir := flag.String("dir", ".", "the site's root (the directory with index.html), served here")
	url := flag.String("url", "", "measure this address instead of serving -dir")
	flag.Parse()
	if err := run(*dir, *url, max(*runs, 1)); err != nil {
		fmt.Fprintln(os.Stderr, "lighthouse:", err)
		os.Exit(1)
	}
}

// result is one run's numbers: the score out of 100, times in ms.
type result struct {
	Score, FCP, LCP, TBT, CLS, SI float64
}

func run(dir, url string, runs int) error {
	bin, err := filepath.Abs("scripts/bench/node_modules/.bin/lighthouse")
	if err != nil {
		return err
	}
	if _, err := os.Stat(bin); err != nil {
		return fmt.Errorf("%s is missing: cd scripts/bench && npm ci --no-audit --no-fund --ignore-scripts", bin)
	}
	if url == "" {
		s, err := site.NewSite(dir)
		if err != nil {
			return err
		}
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return err
		}
		defer ln.Close()
		go http.Serve(ln, s)
		url = "http://" + ln.Addr().String() + "/"
	}
	tmp, err := os.MkdirTemp("", "aeplay-lighthouse-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	presets := []string{"mobile", "desktop"}
	all := map[string][]result{}
	for i := 0; i < runs; i++ {
		for _, preset := range presets {
			r, err := lighthouse(bin, url, preset, filepath.Join(tmp, fmt.Sprintf("%s-%d.json", preset, i)))
			if err != nil {
				return err
			}
			fmt.Fprintf(os.Stderr, "lighthouse %s run %d: %s\n", preset, i+1, r)
			all[preset] = append(all[preset], r)
		}
	}
	for _, preset := range presets {
		rs := all[preset]
		m := result{
			Score: median(rs, func(r result) float64 { return r.Score }),
			FCP:   median(rs, func(r result) float64 { return r.FCP }),
			LCP:   median(rs, func(r result) float64 { return r.LCP }),
			TBT:   median(rs, func(r result) float64 { return r.TBT }),
			CLS:   median(rs, func(r result) float64 { return r.CLS }),
			SI:    median(rs, func(r result) float64 { return r.SI }),
		}
		fmt.Printf("BENCH lighthouse %s (median of %d): %s\n", preset, len(rs), m)
	}
	return nil
}

func (r result) String() string {
	return fmt.Sprintf("performance %.0f, FCP %.0f ms, LCP %.0f ms, TBT %.0f ms, CLS %.3f, Speed Index %.0f ms", r.Score, r.FCP, r.LCP, r.TBT, r.CLS, r.SI)
}

// lighthouse runs one measurement and reads its report.
func lighthouse(bin, url, preset, out string) (result, error) {
	args := []string{url, "--only-categories=performance", "--output=json", "--output-path=" + out, "--quiet",
		"--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update"}
	if preset == "desktop" {
		args = append(args, "--preset=desktop")
	}
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "CHROME_PATH=/usr/bin/chromium")
	if b, err := cmd.CombinedOutput(); err != nil {
		return result{}, fmt.Errorf("lighthouse %s: %v\n%s", preset, err, b)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		return result{}, err
	}
	var rep struct {
		Categories struct {
			Performance struct{ Score float64 }
		}
		Audits map[string]struct {
			NumericValue float64
		}
		RuntimeError *struct{ Code, Message string }
	}
	if err := json.Unmarshal(b, &rep); err != nil {
		return result{}, fmt.Errorf("reading %s: %w", out, err)
	}
	if rep.RuntimeError != nil && rep.RuntimeError.Code != "" {
		return result{}, fmt.Errorf("lighthouse %s: %s: %s", preset, rep.RuntimeError.Code, rep.RuntimeError.Message)
	}
	a := rep.Audits
	return result{Score: 100 * rep.Categories.Performance.Score, FCP: a["first-contentful-paint"].NumericValue,
		LCP: a["largest-contentful-paint"].NumericValue, TBT: a["total-blocking-time"].NumericValue,
		CLS: a["cumulative-layout-shift"].NumericValue, SI: a["speed-index"].NumericValue}, nil
}

func median(rs []result, f func(result) float64) float64 {
	v := make([]float64, len(rs))
	for i, r := range rs {
		v[i] = f(r)
	}
	sort.Float64s(v)
	if n := len(v); n%2 == 0 {
		return (v[n/2-1] + v[n/2]) / 2
	}
	return v[len(v)/2]
}
