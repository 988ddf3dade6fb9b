// Command serve is the playground's development server: it serves
// index.html and web/ from the repository's root on 127.0.0.1:8080, with
// the right MIME types and gzip, and nothing else of the repository.
//
//	go run ./scripts/serve [-addr 127.0.0.1:8080] [-dir .]
package main

import (
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"syscall"
	"time"

	"aeplay/scripts/internal/site"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "address to listen on (0.0.0.0:8080 to reach it from other machines)")
	dir := flag.String("dir", ".", "the site's root: the directory with index.html")
	flag.Parse()
	s, err := site.NewSite(*dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, "serve:", err)
		os.Exit(1)
	}
	ln, err := listen(*addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "serve:", err)
		os.Exit(1)
	}
	fmt.Printf("Autoencoder Playground: http://%s/\n", displayAddr(ln.Addr().String()))
	srv := &http.Server{Handler: logRequests(s), ReadHeaderTimeout: 10 * time.Second}
	log.Fatal(srv.Serve(ln))
}

// listen opens the address, turning "address already in use" into advice.
func listen(addr string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil && errors.Is(err, syscall.EADDRINUSE) {
		return nil, fmt.Errorf("%s is already in use (is another `make serve` running?). Stop it, or pick another port: make serve ADDR=127.0.0.1:8081", addr)
	}
	return ln, err
}

func displayAddr(a string) string {
	host, port, err := net.SplitHostPort(a)
	if err == nil && (host == "127.0.0.1" || host == "::1") {
		return "localhost:" + port
	}
	return a
}

func logRequests(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &statusRecorder{ResponseWriter: w, status: 200}
		start := time.Now()
		h.ServeHTTP(rec, r)
		log.Printf("%d %s %s (%s)", rec.status, r.Method, r.URL.Path, time.Since(start).Round(time.Millisecond))
	})
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}
