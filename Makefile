# Autoencoder Playground. The two commands a newcomer needs:
#   make serve   build the WebAssembly app and serve the page on http://localhost:8080
#   make test    install what the tests need, then run every test
GO      ?= go
GOROOT  := $(shell $(GO) env GOROOT)
ADDR    ?= 127.0.0.1:8080
# go test runs js/wasm test binaries through go_js_wasm_exec (node).
export PATH := $(PATH):$(GOROOT)/lib/wasm

MODELS  := simple deep conv denoise
EPOCHS  ?= 50
WASM_SRC := $(shell find nn wasm -name '*.go' -not -name '*_test.go') go.mod go.sum
DATA    := web/data/train-images-idx3-ubyte.gz web/data/sample-images-idx3-ubyte.gz

.PHONY: serve build test test-go test-wasm test-browser lint deps bench pretrained clean

## build: the WebAssembly, wasm_exec.js from this Go, and the MNIST data
build: web/app.wasm web/wasm_exec.js $(DATA)

web/app.wasm: $(WASM_SRC)
	GOOS=js GOARCH=wasm $(GO) build -trimpath -ldflags="-s -w" -o $@ ./wasm/app

# Copied, never edited; a test checks it is this Go's.
web/wasm_exec.js: $(GOROOT)/lib/wasm/wasm_exec.js
	cp $< $@

$(DATA): scripts/sitedata/main.go
	$(GO) run ./scripts/sitedata -out web/data

## serve: build, then serve the site on http://localhost:8080
serve: build
	$(GO) run ./scripts/serve -addr $(ADDR)

# Pretrained weights with the seed recipe (Adam, BCE, batch 256, 50 epochs,
# all 60,000 digits), the logs the README's table is copied from, and the
# figures. conv comes before denoise: denoise's figure shows conv's output
# on noisy digits. About an hour on a 2-core machine.
pretrained:
	@for m in $(MODELS); do \
		echo "== $$m"; \
		$(GO) run ./scripts/train -model $$m -epochs $(EPOCHS) -out web/models/$$m.safetensors \
			-figures web/models > web/models/$$m.log || exit 1; \
		tail -n 3 web/models/$$m.log; \
	done
