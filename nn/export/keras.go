package export

import (
	"fmt"
	"strconv"
	"strings"

	"aeplay/nn/spec"
)

// pyTuple writes a shape as a Python tuple.
func pyTuple(d []int) string {
	parts := make([]string, len(d))
	for i, v := range d {
		parts[i] = strconv.Itoa(v)
	}
	if len(d) == 1 {
		return "(" + parts[0] + ",)"
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

// kerasPenalty is a layer's activity penalty as Keras' argument, or "".
func kerasPenalty(l spec.Layer) string {
	switch {
	case l.L1 != 0 && l.L2 != 0:
		return fmt.Sprintf("activity_regularizer=regularizers.l1_l2(l1=%s, l2=%s), ", pyFloat(l.L1), pyFloat(l.L2))
	case l.L1 != 0:
		return fmt.Sprintf("activity_regularizer=regularizers.l1(%s), ", pyFloat(l.L1))
	case l.L2 != 0:
		return fmt.Sprintf("activity_regularizer=regularizers.l2(%s), ", pyFloat(l.L2))
	}
	return ""
}

// kerasLayer is one layer as a Keras constructor call.
func kerasLayer(l spec.Layer, name string) string {
	n := kerasPenalty(l) + fmt.Sprintf("name=%q", name)
	switch l.Kind {
	case spec.Dense:
		return fmt.Sprintf("layers.Dense(%d, activation=%q, %s)", l.Units, l.Activation, n)
	case spec.Conv2D:
		strides := ""
		if l.Strides != 1 {
			strides = fmt.Sprintf("strides=%d, ", l.Strides)
		}
		return fmt.Sprintf("layers.Conv2D(%d, (%d, %d), %sactivation=%q, padding=%q, %s)", l.Filters, l.Kernel, l.Kernel, strides, l.Activation, l.Padding, n)
	case spec.MaxPooling2D:
		return fmt.Sprintf("layers.MaxPooling2D((%d, %d), padding=%q, %s)", l.Size, l.Size, l.Padding, n)
	case spec.UpSampling2D:
		return fmt.Sprintf("layers.UpSampling2D((%d, %d), %s)", l.Size, l.Size, n)
	case spec.Flatten:
		return fmt.Sprintf("layers.Flatten(%s)", n)
	case spec.Reshape:
		return fmt.Sprintf("layers.Reshape(%s, %s)", pyTuple(l.Target), n)
	}
	return ""
}

// kerasLoss is the loss as compile() names it.
func kerasLoss(s spec.Spec) string {
	if s.Loss == "mse" {
		return "mean_squared_error"
	}
	return "binary_crossentropy"
}

// Keras writes the spec and recipe as a Keras 3 program in the seed's
// style. The spec must be checked (Plan) first.
func Keras(s spec.Spec, r Recipe) (string, error) {
	p, err := s.Plan()
	if err != nil {
		return "", err
	}
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	w("# An autoencoder from Autoencoder Playground, as Keras 3 code.\n")
	w("# Its spec: %s\n", s)
	w("import keras\nimport numpy as np\nfrom keras import layers")
	for _, l := range s.Layers {
		if l.L1 != 0 || l.L2 != 0 {
			w(", regularizers")
			break
		}
	}
	w("\n\n")
	w("autoencoder = keras.Sequential([\n")
	w("    keras.Input(shape=%s),\n", pyTuple(s.Input))
	for i, l := range s.Layers {
		w("    %s,", kerasLayer(l, p.Layers[i].Name))
		if i == s.Code {
			w("  # the code: %d values", p.CodeSize)
		}
		w("\n")
	}
	w("])\n")
	w("autoencoder.summary()\n")
	w("autoencoder.compile(optimizer=keras.optimizers.Adam(learning_rate=%s), loss=%q)\n\n", pyFloat(r.LR), kerasLoss(s))
	w("(x_train, _), (x_test, _) = keras.datasets.mnist.load_data()\n")
	w("x_train = x_train.astype(\"float32\") / 255.0\n")
	w("x_test = x_test.astype(\"float32\") / 255.0\n")
	shape := "(len(x_train), " + strings.Trim(pyTuple(s.Input), "(,)") + ")"
	w("x_train = np.reshape(x_train, %s)\n", shape)
	w("x_test = np.reshape(x_test, %s)\n", strings.Replace(shape, "x_train", "x_test", 1))
	in, val := "x_train", "x_test"
	if r.Noise > 0 {
		w("\nnoise_factor = %s\n", pyFloat(r.Noise))
		w("x_train_noisy = np.clip(x_train + noise_factor * np.random.normal(loc=0.0, scale=1.0, size=x_train.shape), 0.0, 1.0)\n")
		w("x_test_noisy = np.clip(x_test + noise_factor * np.random.normal(loc=0.0, scale=1.0, size=x_test.shape), 0.0, 1.0)\n")
		in, val = "x_train_noisy", "x_test_noisy"
	}
	w("\n# To start from weights saved by the playground (safetensors, in Keras' layouts):\n")
	w("# from safetensors.numpy import load_file\n")
	w("# weights = load_file(\"model.safetensors\")\n")
	w("# for layer in autoencoder.layers:\n")
	w("#     if layer.weights:\n")
	w("#         layer.set_weights([weights[layer.name + \"/kernel\"], weights[layer.name + \"/bias\"]])\n\n")
	w("autoencoder.fit(%s, x_train,\n", in)
	w("                epochs=%d,\n", r.Epochs)
	w("                batch_size=%d,\n", r.Batch)
	w("                shuffle=True,\n")
	w("                validation_data=(%s, x_test))\n", val)
	return b.String(), nil
}

// pyFloat writes a float as Python reads it back exactly.
func pyFloat(f float64) string {
	t := strconv.FormatFloat(f, 'g', -1, 64)
	if !strings.ContainsAny(t, ".e") {
		t += ".0"
	}
	return t
}
