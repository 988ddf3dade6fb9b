# Autoencoder Playground. The two commands a newcomer needs:
#   make serve   build the WebAssembly app and serve the page on http://localhost:8080
#   make test    install what the tests need, then run every test
GO      ?= go
GOROOT  := $(shell $(GO) env GOROOT)
ADDR    ?= 127.0.0.1:8080
# go test runs js/wasm test binaries through go_js_wasm_exec (node).
export PATH := $(PATH):$(GOROOT)/lib/wasm
# The linter, at a pinned version, built for this machine from the module
# proxy on first use (it then lints for js/wasm too, by GOOS).
STATICCHECK := .bin/staticcheck

MODELS  := simple deep conv denoise latent2d conv32 linear sparse vae
EPOCHS  ?= 50
WASM_SRC := $(shell find nn wasm -name '*.go' -not -name '*_test.go') go.mod go.sum
DATA    := web/data/train-images-idx3-ubyte.gz web/data/sample-images-idx3-ubyte.gz web/data/first-digits-1x10.png

.PHONY: fuzz serve build test deps bench bench-deps pretrained screenshots clean

## build: the WebAssembly, wasm_exec.js from this Go, and the MNIST data
build: web/app.wasm web/app.wasm.gz web/app.wasm.br web/wasm_exec.js $(DATA)

# Inlining off except in nn/... (the training loops), the runtime and
# syscall/js (every DOM call and message crosses it; without inlining its
# garbage grew a training worker's memory from 80 to 116 MB in `go run
# ./scripts/bench -models simple -rounds 1`): the rest, the page's code and
# the standard library, is quick enough without, and the brotli'd wasm is
# 70 kB smaller (1,209,056 → 1,138,535 bytes on 2026-12-07: `go build`
# with and without these flags, then `go run ./scripts/brotli`), which keeps
# the first load within 1.3 MB. Training in the tab is no slower
# (the same bench: simple 1 worker 87,886 before, 100,891 after, noise).
WASM_GCFLAGS := -gcflags=all=-l -gcflags=aeplay/nn/...= -gcflags=runtime= -gcflags=syscall/js=

web/app.wasm: $(WASM_SRC)
	GOOS=js GOARCH=wasm $(GO) build -trimpath -ldflags="-s -w" $(WASM_GCFLAGS) -o $@ ./wasm/app

# Precompressed once here, so the server need not spend a second and a half
# compressing 4 MB at the first request (static hosts compress by themselves).
web/app.wasm.gz: web/app.wasm
	gzip -9 -n -k -f web/app.wasm

# Brotli, for the browsers that accept it (all current ones): a quarter
# smaller than gzip, and what keeps the first load within its budget.
web/app.wasm.br: web/app.wasm
	$(GO) run ./scripts/brotli web/app.wasm

# Copied, never edited; a test checks it is this Go's.
web/wasm_exec.js: $(GOROOT)/lib/wasm/wasm_exec.js
	cp $< $@

$(DATA): scripts/sitedata/main.go
	$(GO) run ./scripts/sitedata -out web/data

## serve: build, then serve the site on http://localhost:8080
serve: build
	$(GO) run ./scripts/serve -addr $(ADDR)

## test: everything the tests need (Chromium, the built site), then every test:
## gofmt, vet and staticcheck (native and js/wasm), go test natively (with
## the browser tests), the portable kernel alone (purego), and the nn and
## wasm packages again under GOOS=js GOARCH=wasm in node: once with Go's own
## runner (the portable kernel), once with ours, which gives the SIMD kernel
## Go's memory (both kernels are then tested); last, each fuzz target for 5,000
## inputs.
## TestEveryEngine (Firefox and WebKit) runs beside those last node and
## fuzz runs: one browser at a time leaves a core mostly free, and the
## two streams together keep make test within its 15 minutes here.
test: deps build $(STATICCHECK) scripts/browsertest/node_modules scripts/bench/node_modules
	@unformatted=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
		if [ -n "$$unformatted" ]; then echo "gofmt would change:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...
	GOOS=js GOARCH=wasm $(GO) vet ./nn/... ./wasm/...
	$(STATICCHECK) ./...
	GOOS=js GOARCH=wasm $(STATICCHECK) ./nn/... ./wasm/...
	$(GO) test -timeout 20m -skip TestEveryEngine ./...
	@echo "go test -run TestEveryEngine ./scripts/browsertest/ (Chromium, Firefox, WebKit), in the background"
	@rm -f /tmp/aeplay-engines.status; \
		{ $(GO) test -count=1 -run TestEveryEngine -v ./scripts/browsertest/ >/tmp/aeplay-engines.log 2>&1; echo $$? >/tmp/aeplay-engines.status; } &
	$(GO) test -tags purego ./nn/...
	GOOS=js GOARCH=wasm $(GO) test ./nn/... ./wasm/...
	GOOS=js GOARCH=wasm $(GO) test -exec $(CURDIR)/scripts/wasmexec/go_js_wasm_exec_simd ./nn/... ./wasm/...
	$(MAKE) --no-print-directory fuzz FUZZTIME=5000x
	@while [ ! -s /tmp/aeplay-engines.status ]; do sleep 2; done; s=$$(cat /tmp/aeplay-engines.status); \
		echo "TestEveryEngine:"; \
		grep -E '^(val loss|simple|deep|conv|denoise|latent2d|sparse|vae|custom|masked) |^ok|^--- ' /tmp/aeplay-engines.log; \
		[ $$s = 0 ] || { cat /tmp/aeplay-engines.log; exit 1; }

# The fuzz targets: every decoder of outside input (IDX, safetensors, the
# JSON reader, model specs, the protocol's messages, the address's hash), each asserting
# it never panics and never allocates more than a bounded multiple of its
# input. Go fuzzes one target per run.
FUZZ_TARGETS = FuzzReadIDX:./nn/encoding/idx FuzzRead:./nn/encoding/safetensors \
	FuzzParse:./nn/encoding/strictjson FuzzParse:./nn/spec FuzzDecoders:./wasm/protocol FuzzParseHash:./wasm/page
# make test counts inputs (5000x, a few seconds each here) rather than
# time: Go 1.26's fuzzing coordinator can fail a run at the end of a
# -fuzztime duration with "context deadline exceeded" and no failing input
# when the machine is busy (golang/go#75804, fixed in Go 1.27), and make
# test runs the fuzz targets beside TestEveryEngine.
FUZZTIME ?= 60s

## fuzz: each fuzz target for $(FUZZTIME) (make test runs 5,000 inputs each)
fuzz:
	@for t in $(FUZZ_TARGETS); do \
		echo "fuzz $${t%%:*} ($${t#*:}) for $(FUZZTIME)"; \
		$(GO) test -run XXX -fuzz "^$${t%%:*}$$" -fuzztime $(FUZZTIME) "$${t#*:}" >/tmp/aeplay-fuzz.log 2>&1 || { cat /tmp/aeplay-fuzz.log; exit 1; }; \
	done

$(STATICCHECK):
	GOBIN=$(CURDIR)/.bin $(GO) install honnef.co/go/tools/cmd/staticcheck@v0.8.2

# Chromium, Firefox ESR and WebKitGTK (its WebDriver, in Xvfb) drive the
# browser tests, node runs the js/wasm tests, numpy cross-checks the
# weights files. CI machines start without them: install Debian's (we run
# as root there).
deps:
	@command -v node >/dev/null || { echo "node is needed for the js/wasm tests (apt-get install nodejs)"; exit 1; }
	@if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/firefox-esr ] || [ ! -x /usr/bin/WebKitWebDriver ] || [ ! -x /usr/bin/Xvfb ] || \
		! /usr/bin/python3 -c 'import numpy, torch' 2>/dev/null; then \
		echo "installing Debian's chromium, firefox-esr, webkit2gtk-driver and xvfb (browser tests), python3-numpy (weights cross-check) and python3-torch (the exported PyTorch script)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium firefox-esr webkit2gtk-driver xvfb python3-numpy python3-torch >/dev/null; \
	fi
	$(GO) mod download

## bench: native training speed per model (samples/s, GFLOP/s, allocations),
## the page's first load (bytes transferred, its phases to the first grid,
## its layout shift; Lighthouse's mobile and desktop scores, LCP, TBT and
## CLS, medians of 3 runs), the latent map's drawing and decoding times, and
## training in the browser against TensorFlow.js in the same Chromium and,
## in the same rounds, natively: our Go trainer against PyTorch.
bench: deps bench-deps build scripts/bench/node_modules
	$(GO) test -run XXX -bench 'TrainStep' -benchmem -benchtime 20x ./nn/train/
	$(GO) test -count=1 -run 'TestFirstLoad|TestLatentMap|TestTSNE' -v ./scripts/browsertest/ 2>&1 | grep '^BENCH'
	$(GO) run ./scripts/bench/lighthouse -runs 3
	$(GO) run ./scripts/bench

# axe-core, pinned by package-lock.json, for the accessibility test.
scripts/browsertest/node_modules: scripts/browsertest/package.json scripts/browsertest/package-lock.json
	cd scripts/browsertest && npm ci --no-audit --no-fund --ignore-scripts
	@touch $@

# The native peer: Debian's PyTorch with OpenBLAS (OpenMP build) behind
# libblas.so.3; without it Debian's torch falls back to the reference BLAS,
# several times slower on the dense models, and the peer would not be at
# its best.
bench-deps:
	@if [ ! -e /usr/lib/x86_64-linux-gnu/openblas-openmp/libblas.so.3 ] || ! /usr/bin/python3 -c "import torch" 2>/dev/null; then \
		echo "installing Debian's python3-torch and libopenblas0-openmp (the PyTorch peer of make bench)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-torch libopenblas0-openmp >/dev/null; \
	fi

# TensorFlow.js, pinned by package-lock.json: the benchmark's peer, and the
# runner of the exported TF.js programs in make test.
scripts/bench/node_modules: scripts/bench/package.json scripts/bench/package-lock.json
	cd scripts/bench && npm ci --no-audit --no-fund --ignore-scripts
	@touch $@
	touch $@

## screenshots: the README's pictures, taken in headless Chromium
screenshots: deps build
	$(GO) test -count=1 -run 'TestReadmeScreenshots|TestLatentMap|TestInterpolateAndDraw|TestCompareWithPCA|TestOwnData|TestEditor$$|TestEmbedDialog|TestCodePanel|TestLayerView|TestVAEModel|TestTSNE$$' ./scripts/browsertest/
	mkdir -p web/img
	cp test-artifacts/readme-playground.png web/img/playground.png
	cp test-artifacts/readme-embed.png web/img/embed.png
	cp test-artifacts/21-latent-map-drag.png web/img/latent-map.png
	cp test-artifacts/22-latent-map-2d.png web/img/latent-map-2d.png
	cp test-artifacts/23-interpolate.png web/img/interpolate.png
	cp test-artifacts/24-draw.png web/img/draw.png
	cp test-artifacts/25-compare.png web/img/compare.png
	cp test-artifacts/26-own-data.png web/img/own-data.png
	cp test-artifacts/31-code-panel.png web/img/code-panel.png
	cp test-artifacts/34-editor-error.png web/img/editor.png
	cp test-artifacts/35-embed-dialog.png web/img/embed-dialog.png
	cp test-artifacts/27-layers.png web/img/layers.png
	cp test-artifacts/28-manifold.png web/img/manifold.png
	cp test-artifacts/29-tsne.png web/img/tsne.png

clean:
	rm -rf web/app.wasm web/app.wasm.gz web/app.wasm.br web/wasm_exec.js web/data test-artifacts

# Pretrained weights with the seed recipe (Adam, BCE, batch 256, 50 epochs,
# all 60,000 digits), the logs the README's table is copied from, and the
# figures. conv comes before denoise: denoise's figure shows conv's output
# on noisy digits. About an hour on a 2-core machine. The result varies
# with the seed (README: deep's seeds 1-4 end between 0.0828 and 0.0851);
# these are the seeds of the committed weights. -half stores them as F16,
# half the download (README, Weights format).
SEED_simple  = 1
SEED_deep    = 4
SEED_conv    = 2
SEED_denoise = 1
SEED_latent2d = 1
SEED_conv32  = 1
SEED_linear  = 1
SEED_sparse  = 1
SEED_vae     = 1
# The post trains the sparse model and the variational one for 100 epochs,
# the latter with batch 32; the others take EPOCHS and batch 256.
EPOCHS_sparse = 100
EPOCHS_vae    = 100
BATCH_vae     = 32
pretrained:
	$(GO) run ./scripts/pca -k 2,32,128 -out web/models
	$(foreach m,$(MODELS),$(GO) run ./scripts/train -model $(m) -epochs $(or $(EPOCHS_$(m)),$(EPOCHS)) -batch $(or $(BATCH_$(m)),256) -seed $(SEED_$(m)) \
		-half -out web/models/$(m).safetensors -figures web/models > web/models/$(m).log && tail -n 3 web/models/$(m).log &&) true
