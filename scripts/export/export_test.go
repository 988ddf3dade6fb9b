package main

import (
	"bytes"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"aeplay/nn"
	"aeplay/nn/catalog"
	"aeplay/nn/encoding/idx"
	"aeplay/nn/export"
	"aeplay/nn/train"
	"aeplay/nn/weights"
	"aeplay/scripts/internal/mnistdata"
)

// python is Debian's python3, which `make test` gives numpy and torch.
const python = "/usr/bin/python3"

// edited are models a reader might build in the editor (the catalogue has
// none of them): the conv model with a 64-number code, a linear
// autoencoder with a 16-number code, a convolutional variational
// autoencoder and a denoiser of masking noise.
var edited = []string{
	`input(28x28x1); conv2d(16,3,relu,same); maxpooling2d(2,same); conv2d(8,3,relu,same); maxpooling2d(2,same);
	 conv2d(4,3,relu,same,strides=2); flatten*; reshape(4x4x4); conv2d(8,3,relu,same); upsampling2d(2);
	 conv2d(8,3,relu,same); upsampling2d(2); conv2d(16,3,relu,valid); upsampling2d(2); conv2d(1,3,sigmoid,same); loss(bce)`,
	`input(784); dense(16,linear,l2=0.001)*; dense(784,linear); loss(mse)`,
	`input(28x28x1); conv2d(8,3,relu,same); maxpooling2d(2,same); flatten; sampling(4)*; dense(1568,relu); reshape(14x14x8);
	 upsampling2d(2); conv2d(1,3,sigmoid,same); loss(bce,sum)`,
	`input(784); dense(32,relu)*; dense(784,sigmoid); noise(mask,0.3); loss(bce)`,
}

func needTorch(t *testing.T) {
	t.Helper()
	if err := exec.Command(python, "-c", "import numpy, torch").Run(); err != nil {
		t.Fatalf("%s with numpy and torch is needed (make test installs Debian's python3-numpy and python3-torch): %v", python, err)
	}
}

// script writes the model's PyTorch script into dir and returns its path.
func script(t *testing.T, dir string, e catalog.Entry, r export.Recipe) string {
	t.Helper()
	text, err := export.PyTorch(e.Spec, r, e.Name)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, e.FileName()+".py")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

var lastValLoss = regexp.MustCompile(`(?m)^(?:\[\w+\]:)?val_loss: (\d+\.\d+)\s*$`)

func runScript(t *testing.T, args ...string) (string, float64) {
	t.Helper()
	out, err := exec.Command(args[0], args[1:]...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", strings.Join(args, " "), err, out)
	}
	m := lastValLoss.FindAllStringSubmatch(string(out), -1)
	if m == nil {
		t.Fatalf("no val_loss line in\n%s", out)
	}
	v, _ := strconv.ParseFloat(m[len(m)-1][1], 64)
	return string(out), v
}

// engineValLoss is the Go engine's val loss on the whole test set, with
// the page's noise for a denoiser (seed 1: the test's noise seed is 3),
// and a variational autoencoder's z at its mean, as the scripts evaluate
// it.
func engineValLoss(t *testing.T, e catalog.Entry, m *nn.Model, test *idx.Images) float64 {
	t.Helper()
	v, err := train.EvaluateAtMean(m, train.Dataset{Images: test, Noise: e.Noise, NoiseKind: e.NoiseKind, NoiseSeed: 3}, e.Spec.LossFunc())
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// valDigits is how many test digits the scripts are checked on: the first
// 2,000 (a fifth of make test's time for the PyTorch check at 10,000; the
// script takes --val as the page does).
const valDigits = 2000

// TestPyTorchScriptMatchesTheEngine: each pretrained model's script, and
// those of two edited models trained here, print the engine's val loss on
// the first valDigits test digits within 1e-4 (the denoiser on the page's
// own noisy digits: the script reproduces its noise generator).
func TestPyTorchScriptMatchesTheEngine(t *testing.T) {
	needTorch(t)
	data, err := mnistdata.Dir()
	if err != nil {
		t.Fatal(err)
	}
	set, err := mnistdata.Load(data)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	models := append(catalog.Names(), edited...)
	for _, name := range models {
		e, err := catalog.Resolve(name)
		if err != nil {
			t.Fatal(err)
		}
		t.Run(e.FileName(), func(t *testing.T) {
			m, _ := e.New()
			file := filepath.Join("..", "..", "web", "models", e.Name+".safetensors")
			if e.Custom {
				// Trained briefly here, as a reader would in the page.
				m.Init(7)
				tr, err := train.New(m, train.Dataset{Images: set.Train.Slice(0, 2048)}, train.Dataset{Images: set.Test.Slice(0, 256)}, train.Config{Epochs: 1, BatchSize: 64, LR: 0.003, Seed: 7, Loss: e.Spec.LossFunc()})
				if err != nil {
					t.Fatal(err)
				}
				for !tr.Done() {
					if _, _, err := tr.Step(); err != nil {
						t.Fatal(err)
					}
				}
				tr.Close()
				file = filepath.Join(dir, e.FileName()+".safetensors")
				if err := weights.WriteFile(file, m, nil); err != nil {
					t.Fatal(err)
				}
			} else if _, err := weights.ReadFile(file, m); err != nil {
				t.Fatal(err)
			}
			want := engineValLoss(t, e, m, set.Test.Slice(0, valDigits))
			_, got := runScript(t, python, script(t, dir, e, export.Recipe{Epochs: 50, Batch: 256, LR: 0.001, Noise: e.Spec.Noise, NoiseKind: e.Spec.NoiseKind}), file, "--data", data, "--val", strconv.Itoa(valDigits))
			t.Logf("%s: PyTorch %.6f, engine %.6f", e.FileName(), got, want)
			if !close(got, want) {
				t.Errorf("PyTorch val_loss %.6f, the engine's %.6f", got, want)
			}
		})
	}
}

// TestTorchrunTrainsDataParallel: under torchrun with two processes the
// script trains an untrained model data-parallel and its loss falls.
func TestTorchrunTrainsDataParallel(t *testing.T) {
	needTorch(t)
	data, err := mnistdata.Dir()
	if err != nil {
		t.Fatal(err)
	}
	e, _ := catalog.Resolve("simple")
	m, _ := e.New()
	m.Init(3)
	dir := t.TempDir()
	file := filepath.Join(dir, "untrained.safetensors")
	if err := weights.WriteFile(file, m, nil); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "trained.safetensors")
	// Debian's torch 1.13 on Python 3.11 cannot parse torchrun's default
	// --redirects 0 (IntFlag no longer iterates its zero member): name the
	// streams explicitly.
	log, final := runScript(t, "torchrun", "--nproc_per_node=2", "--redirects", "1", "--tee", "1", "--log_dir", filepath.Join(dir, "logs"),
		script(t, dir, e, export.Recipe{Epochs: 2, Batch: 128, LR: 0.001}), file, "--data", data, "--epochs", "2", "--samples", "4000", "--val", "1000", "--out", out)
	if !strings.Contains(log, "2 process(es)") {
		t.Errorf("not data-parallel:\n%s", log)
	}
	losses := regexp.MustCompile(`Epoch \d/2 - \d+s - loss: (\d+\.\d+)`).FindAllStringSubmatch(log, -1)
	if len(losses) != 2 {
		t.Fatalf("epoch lines:\n%s", log)
	}
	l1, _ := strconv.ParseFloat(losses[0][1], 64)
	l2, _ := strconv.ParseFloat(losses[1][1], 64)
	if !(l2 < l1 && final < 0.69) {
		t.Errorf("losses %v, %v, final val_loss %v: not falling", l1, l2, final)
	}
	// The weights it wrote load in the engine.
	back, _ := e.New()
	if _, err := weights.ReadFile(out, back); err != nil {
		t.Errorf("the trained file does not load: %v", err)
	}
}

// kerasReader reads a Keras text back into a spec's text with Python's own
// parser: the layers of the Sequential list with their arguments, the code
// (the layer whose line says "# the code"), the loss, the noise, and the
// recipe of fit().
const kerasReader = `
import ast, sys
src = open(sys.argv[1]).read()
lines = src.splitlines()
tree = ast.parse(src)
calls = {}
for node in ast.walk(tree):
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        calls.setdefault(node.func.attr, node)
def literal(v):
    try:
        return ast.literal_eval(v)
    except ValueError:
        return None  # a name or a call: not a literal argument
kw = lambda c: {k.arg: literal(k.value) for k in c.keywords}
items, names = [], []
for c in calls["Sequential"].args[0].elts:
    kind, a, k = getattr(c.func, "attr", getattr(c.func, "id", "")), [ast.literal_eval(x) for x in c.args], kw(c)
    if kind == "Input":
        items.append("input(" + "x".join(map(str, k["shape"])) + ")")
        continue
    if kind == "Dense":
        t = "dense(%d,%s)" % (a[0], k["activation"])
    elif kind == "Conv2D":
        assert a[1][0] == a[1][1]
        t = "conv2d(%d,%d,%s,%s" % (a[0], a[1][0], k["activation"], k["padding"]) + (",strides=%d" % k["strides"] if "strides" in k else "") + ")"
    elif kind == "MaxPooling2D":
        t = "maxpooling2d(%d,%s)" % (a[0][0], k["padding"])
    elif kind == "UpSampling2D":
        t = "upsampling2d(%d)" % a[0][0]
    elif kind == "Flatten":
        t = "flatten"
    elif kind == "Reshape":
        t = "reshape(" + "x".join(map(str, a[0])) + ")"
    elif kind == "Sampling":
        t = "sampling(%d)" % a[0]
    reg = next((k.value for k in c.keywords if k.arg == "activity_regularizer"), None)
    if reg is not None:
        rates = dict(zip(["l1", "l2"], [ast.literal_eval(x) for x in reg.args]) if reg.func.attr == "l1_l2" else {reg.func.attr: ast.literal_eval(reg.args[0])})
        rates.update({k.arg: ast.literal_eval(k.value) for k in reg.keywords})
        extra = ",".join("%s=%r" % (r, rates[r]) for r in ("l1", "l2") if r in rates)
        t = t[:-1] + "," + extra + ")" if t.endswith(")") else t + "(" + extra + ")"
    if "# the code" in lines[c.lineno - 1]:
        t += "*"
    items.append(t)
    names.append(k["name"])
for node in ast.walk(tree):
    if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "noise_factor":
        items.append("noise(%s)" % ast.literal_eval(node.value))
    if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "mask_p":
        items.append("noise(mask,%s)" % ast.literal_eval(node.value))
loss = kw(calls["compile"])["loss"]
short = {"binary_crossentropy": "bce", "mean_squared_error": "mse"}
if loss is None:  # a function of the program's, summed_<Keras' loss>: the loss summed over a digit
    loss = next(k.value.id for k in calls["compile"].keywords if k.arg == "loss")
    assert any(isinstance(n, ast.FunctionDef) and n.name == loss for n in tree.body), loss
    items.append("loss(%s,sum)" % short[loss[len("summed_"):]])
else:
    items.append("loss(%s)" % short[loss])
fit = kw(calls["fit"])
lr = kw(calls["Adam"])["learning_rate"]
print(";".join(items))
print(" ".join(names))
print(fit["epochs"], fit["batch_size"], lr)
`

// TestKerasTextReadsBack: the Keras text of every catalogue model and of
// the edited ones is valid Python whose layers, arguments, names, code,
// loss, noise and recipe, read back by Python's parser, are the spec's.
func TestKerasTextReadsBack(t *testing.T) {
	if err := exec.Command(python, "-c", "import ast").Run(); err != nil {
		t.Fatalf("%s is needed: %v", python, err)
	}
	dir := t.TempDir()
	reader := filepath.Join(dir, "reader.py")
	os.WriteFile(reader, []byte(kerasReader), 0o644)
	for _, name := range append(catalog.Names(), edited...) {
		e, _ := catalog.Resolve(name)
		r := export.Recipe{Epochs: 7, Batch: 64, LR: 0.0005, Noise: e.Spec.Noise, NoiseKind: e.Spec.NoiseKind}
		text, err := export.Keras(e.Spec, r)
		if err != nil {
			t.Fatal(err)
		}
		file := filepath.Join(dir, e.FileName()+".py")
		os.WriteFile(file, []byte(text), 0o644)
		out, err := exec.Command(python, reader, file).CombinedOutput()
		if err != nil {
			t.Fatalf("%s: %v\n%s\n%s", name, err, out, text)
		}
		lines := strings.Split(strings.TrimSpace(string(out)), "\n")
		plan, _ := e.Spec.Plan()
		var names []string
		for _, l := range plan.Layers {
			names = append(names, l.Name)
		}
		if lines[0] != e.Spec.String() {
			t.Errorf("%s: the Keras text reads back as\n%s\nnot\n%s", e.FileName(), lines[0], e.Spec.String())
		}
		if lines[1] != strings.Join(names, " ") {
			t.Errorf("%s: layer names %s, want %s", e.FileName(), lines[1], strings.Join(names, " "))
		}
		if lines[2] != "7 64 0.0005" {
			t.Errorf("%s: recipe %q", e.FileName(), lines[2])
		}
	}
}

// TestTFJSProgramMatchesTheEngine: the TensorFlow.js Layers program of
// each model (Keras' API in JavaScript, TF.js 4.22 pinned in scripts/bench)
// loads the weights by layer name and gets the engine's val loss on the
// first 1,000 clean test digits within 1e-4: the Keras text's layers,
// padding and order mean what the engine computes.
func TestTFJSProgramMatchesTheEngine(t *testing.T) {
	modules, _ := filepath.Abs(filepath.Join("..", "bench", "node_modules"))
	if _, err := os.Stat(filepath.Join(modules, "@tensorflow", "tfjs")); err != nil {
		t.Fatalf("TensorFlow.js is not installed (%v): make test installs it (npm ci in scripts/bench)", err)
	}
	data, err := mnistdata.Dir()
	if err != nil {
		t.Fatal(err)
	}
	test, err := idx.LoadImages(filepath.Join(data, mnistdata.TestImages))
	if err != nil {
		t.Fatal(err)
	}
	test = test.Slice(0, 1000)
	dir := t.TempDir()
	for _, name := range append(catalog.Names(), edited...) {
		e, _ := catalog.Resolve(name)
		t.Run(e.FileName(), func(t *testing.T) {
			m, _ := e.New()
			file := filepath.Join("..", "..", "web", "models", e.Name+".safetensors")
			if e.Custom {
				m.Init(5)
				file = filepath.Join(dir, e.FileName()+".safetensors")
				if err := weights.WriteFile(file, m, nil); err != nil {
					t.Fatal(err)
				}
			} else if _, err := weights.ReadFile(file, m); err != nil {
				t.Fatal(err)
			}
			want, err := train.EvaluateAtMean(m, train.Dataset{Images: test}, e.Spec.LossFunc())
			if err != nil {
				t.Fatal(err)
			}
			text, err := export.TFJS(e.Spec)
			if err != nil {
				t.Fatal(err)
			}
			prog := filepath.Join(dir, e.FileName()+".js")
			os.WriteFile(prog, []byte(text), 0o644)
			cmd := exec.Command("node", prog, file, "--data", data, "--val", "1000")
			cmd.Env = append(os.Environ(), "NODE_PATH="+modules)
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("node: %v\n%s", err, out)
			}
			m2 := lastValLoss.FindStringSubmatch(string(out))
			if m2 == nil {
				t.Fatalf("no val_loss in\n%s", out)
			}
			got, _ := strconv.ParseFloat(m2[1], 64)
			t.Logf("%s: TF.js %.6f, engine %.6f", e.FileName(), got, want)
			if !close(got, want) {
				t.Errorf("TF.js val_loss %.6f, the engine's %.6f", got, want)
			}
		})
	}
}

// close: within 1e-4, relatively for a loss above 1 (a variational
// autoencoder's, per digit, is about 150).
func close(got, want float64) bool { return math.Abs(got-want) <= 1e-4*math.Max(1, math.Abs(want)) }

// TestRun: the command writes each language and refuses what it cannot.
func TestRun(t *testing.T) {
	var b bytes.Buffer
	if err := run(&b, "deep", "keras", export.Recipe{Epochs: 50, Batch: 256, LR: 0.001, Noise: -1}); err != nil || !strings.Contains(b.String(), `layers.Dense(128, activation="relu", name="dense_1")`) {
		t.Errorf("keras: %v\n%s", err, b.String())
	}
	b.Reset()
	if err := run(&b, "denoise", "pytorch", export.Recipe{Epochs: 50, Batch: 256, LR: 0.001, Noise: -1}); err != nil || !strings.Contains(b.String(), "NOISE = 50, 256, 0.001, 0.5") {
		t.Errorf("pytorch: %v", err)
	}
	if err := run(&b, "deep", "cobol", export.Recipe{}); err == nil {
		t.Error("an unknown language was accepted")
	}
	if err := run(&b, "input(784);dense(3,relu)", "keras", export.Recipe{}); err == nil || !strings.Contains(err.Error(), "layer 1 (Dense)") {
		t.Errorf("a bad spec: %v", err)
	}
}
