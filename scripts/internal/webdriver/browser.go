package webdriver

import (
	"fmt"
	"net"
	"os/exec"
	"time"
)

// Browser is one browser window the tests drive.
type Browser interface {
	// Name is the engine's name ("firefox", "webkit").
	Name() string
	// Navigate loads url and waits for its load event.
	Navigate(url string) error
	// Eval evaluates a JavaScript expression (a promise is awaited) and
	// decodes its JSON value into out (nil: ignored).
	Eval(expr string, out any) error
	// Screenshot returns a PNG of the viewport.
	Screenshot() ([]byte, error)
	// Errors returns the console's errors and uncaught exceptions so far;
	// nil where the protocol cannot see them (classic WebDriver).
	Errors() []string
	Close()
}

// Options are a window's size and device pixel ratio.
type Options struct {
	Width, Height int
	DPR           float64
}

// freePort asks the kernel for a free TCP port on the loopback.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// waitPort waits until something listens on port.
func waitPort(port int, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port)); err == nil {
			c.Close()
			return nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("nothing listens on port %d after %v", port, timeout)
}

// kill ends a started process and its children.
func kill(cmd *exec.Cmd) {
	if cmd != nil && cmd.Process != nil {
		cmd.Process.Kill()
		cmd.Wait()
	}
}

// wrap makes an expression's value travel as JSON: both protocols
// serialise values their own way, JSON is what the tests decode.
func Wrap(expr string) string {
	return "(async () => { const v = await (" + expr + "); return v === undefined ? \"null\" : JSON.stringify(v) })()"
}
