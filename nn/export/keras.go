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
func kerasLayer(l spec.Layer, lp spec.LayerPlan) string {
	n := kerasPenalty(l) + fmt.Sprintf("name=%q", lp.Name)
	switch l.Kind {
	case spec.Sampling:
		return fmt.Sprintf("Sampling(%d, %q, %q, %s)", l.Units, lp.Heads[0], lp.Heads[1], n)
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

// kerasSampling is the variational autoencoder's code as a Keras 3 layer
// (the post's z_mean, z_log_var and Lambda(sampling) in one, as Keras'
// own VAE example writes it), its KL term added to the loss.
const kerasSampling = `class Sampling(layers.Layer):
    """A variational autoencoder's code: two Dense heads, z_mean and
    z_log_var, and z = z_mean + exp(z_log_var / 2) * epsilon. Its KL
    divergence from N(0, I), averaged over the batch, joins the loss."""

    def __init__(self, latent_dim, mean_name, log_var_name, **kwargs):
        super().__init__(**kwargs)
        self.z_mean = layers.Dense(latent_dim, name=mean_name)
        self.z_log_var = layers.Dense(latent_dim, name=log_var_name)
        self.seed = keras.random.SeedGenerator(1)

    def call(self, h):
        z_mean, z_log_var = self.z_mean(h), self.z_log_var(h)
        kl = -0.5 * ops.sum(1 + z_log_var - ops.square(z_mean) - ops.exp(z_log_var), axis=-1)
        self.add_loss(ops.mean(kl))
        epsilon = keras.random.normal(ops.shape(z_mean), seed=self.seed)
        return z_mean + ops.exp(0.5 * z_log_var) * epsilon


`

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
	samples := false
	for _, l := range s.Layers {
		samples = samples || l.Kind == spec.Sampling
	}
	if samples {
		w(", ops")
	}
	for _, l := range s.Layers {
		if l.L1 != 0 || l.L2 != 0 {
			w(", regularizers")
			break
		}
	}
	w("\n\n")
	if samples {
		w("\n%s", kerasSampling)
	}
	loss := fmt.Sprintf("%q", kerasLoss(s))
	if s.Sum {
		loss = "summed_" + kerasLoss(s)
		w("def %s(x, x_decoded):\n", loss)
		w("    # summed over a digit's %d values, as the post's VAE: original_dim * %s\n", spec.DataSize, kerasLoss(s))
		w("    return %d * keras.losses.%s(x, x_decoded)\n\n\n", spec.DataSize, kerasLoss(s))
	}
	w("autoencoder = keras.Sequential([\n")
	w("    keras.Input(shape=%s),\n", pyTuple(s.Input))
	for i, l := range s.Layers {
		w("    %s,", kerasLayer(l, p.Layers[i]))
		if i == s.Code {
			w("  # the code: %d values", p.CodeSize)
		}
		w("\n")
	}
	w("])\n")
	w("autoencoder.summary()\n")
	w("autoencoder.compile(optimizer=keras.optimizers.Adam(learning_rate=%s), loss=%s)\n\n", pyFloat(r.LR), loss)
	w("(x_train, _), (x_test, _) = keras.datasets.mnist.load_data()\n")
	w("x_train = x_train.astype(\"float32\") / 255.0\n")
	w("x_test = x_test.astype(\"float32\") / 255.0\n")
	shape := "(len(x_train), " + strings.Trim(pyTuple(s.Input), "(,)") + ")"
	w("x_train = np.reshape(x_train, %s)\n", shape)
	w("x_test = np.reshape(x_test, %s)\n", strings.Replace(shape, "x_train", "x_test", 1))
	in, val := "x_train", "x_test"
	if r.Noise > 0 && r.NoiseKind == spec.MaskNoise {
		// Masking noise: each pixel dropped to 0 with probability p.
		w("\nmask_p = %s\n", pyFloat(r.Noise))
		w("x_train_noisy = x_train * (np.random.uniform(size=x_train.shape) >= mask_p)\n")
		w("x_test_noisy = x_test * (np.random.uniform(size=x_test.shape) >= mask_p)\n")
		in, val = "x_train_noisy", "x_test_noisy"
	} else if r.Noise > 0 {
		w("\nnoise_factor = %s\n", pyFloat(r.Noise))
		w("x_train_noisy = np.clip(x_train + noise_factor * np.random.normal(loc=0.0, scale=1.0, size=x_train.shape), 0.0, 1.0)\n")
		w("x_test_noisy = np.clip(x_test + noise_factor * np.random.normal(loc=0.0, scale=1.0, size=x_test.shape), 0.0, 1.0)\n")
		in, val = "x_train_noisy", "x_test_noisy"
	}
	w("\n# To start from weights saved by the playground (safetensors, in Keras' layouts):\n")
	w("# from safetensors.numpy import load_file\n")
	w("# weights = load_file(\"model.safetensors\")\n")
	w("# for layer in autoencoder.layers:\n")
	if samples {
		w("#     for l in (layer.z_mean, layer.z_log_var) if isinstance(layer, Sampling) else (layer,):\n")
		w("#         if l.weights:\n")
		w("#             l.set_weights([weights[l.name + \"/kernel\"], weights[l.name + \"/bias\"]])\n\n")
	} else {
		w("#     if layer.weights:\n")
		w("#         layer.set_weights([weights[layer.name + \"/kernel\"], weights[layer.name + \"/bias\"]])\n\n")
	}
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
