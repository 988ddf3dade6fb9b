# Autoencoder Playground. The two commands a newcomer needs:
#   make serve   build the WebAssembly app and serve the page on http://localhost:8080
#   make test    install what the tests need, then run every test
GO      ?= go
GOROOT  := $(shell $(GO) env GOROOT)
# go test runs js/wasm test binaries through go_js_wasm_exec (node).
export PATH := $(PATH):$(GOROOT)/lib/wasm

MODELS := simple deep conv denoise
EPOCHS ?= 50

.PHONY: serve test bench pretrained

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
