package spec

import (
	"fmt"
	"strconv"
	"strings"
)

// MaxText is the longest spec text Parse reads: a model of MaxLayers
// layers fits in a third of it.
const MaxText = 4096

// String writes the spec's text form (see the package doc). It is
// canonical: specs that describe the same model write the same text, so it
// serves as a key.
func (s Spec) String() string {
	var b strings.Builder
	b.WriteString("input(")
	b.WriteString(dims(s.Input))
	b.WriteString(")")
	for i, l := range s.Layers {
		b.WriteString(";")
		b.WriteString(l.String())
		if i == s.Code {
			b.WriteString("*")
		}
	}
	if s.Noise > 0 {
		kind := ""
		if s.NoiseKind != "" {
			kind = s.NoiseKind + ","
		}
		b.WriteString(";noise(" + kind + strconv.FormatFloat(s.Noise, 'g', -1, 64) + ")")
	}
	b.WriteString(";loss(" + s.Loss)
	if s.Sum {
		b.WriteString(",sum")
	}
	b.WriteString(")")
	return b.String()
}

// String writes the layer as the text form does: its kind, then its
// positional arguments and its key=value ones in parentheses (none for a
// bare flatten).
func (l Layer) String() string {
	var args []string
	switch l.Kind {
	case Dense:
		args = []string{strconv.Itoa(l.Units), l.Activation}
	case Conv2D:
		args = []string{strconv.Itoa(l.Filters), strconv.Itoa(l.Kernel), l.Activation, l.Padding}
		if l.Strides != 1 {
			args = append(args, "strides="+strconv.Itoa(l.Strides))
		}
	case MaxPooling2D:
		args = []string{strconv.Itoa(l.Size), l.Padding}
	case UpSampling2D:
		args = []string{strconv.Itoa(l.Size)}
	case Reshape:
		args = []string{dims(l.Target)}
	case Sampling:
		args = []string{strconv.Itoa(l.Units)}
	}
	if l.L1 != 0 {
		args = append(args, "l1="+strconv.FormatFloat(l.L1, 'g', -1, 64))
	}
	if l.L2 != 0 {
		args = append(args, "l2="+strconv.FormatFloat(l.L2, 'g', -1, 64))
	}
	if len(args) == 0 {
		return l.Kind
	}
	return l.Kind + "(" + strings.Join(args, ",") + ")"
}

func dims(s []int) string {
	parts := make([]string, len(s))
	for i, d := range s {
		parts[i] = strconv.Itoa(d)
	}
	return strings.Join(parts, "x")
}

// Parse reads a spec's text form. Its errors name the item ("item 3,
// "conv2d(16)": ..."). A parsed spec is not yet checked: Plan does that.
func Parse(text string) (Spec, error) {
	if len(text) > MaxText {
		return Spec{}, fmt.Errorf("the model's text is %d characters, more than the %d a spec may have", len(text), MaxText)
	}
	s := Spec{Code: -1, Loss: "bce"}
	items := strings.Split(text, ";")
	if len(items) > MaxLayers+3 {
		return Spec{}, fmt.Errorf("%d items: a model has at most %d layers", len(items), MaxLayers)
	}
	seenLoss, seenNoise := false, false
	for i, raw := range items {
		item := strings.TrimSpace(raw)
		fail := func(format string, args ...any) (Spec, error) {
			return Spec{}, fmt.Errorf("item %d, %q: %s", i+1, item, fmt.Sprintf(format, args...))
		}
		code := strings.HasSuffix(item, "*")
		item = strings.TrimSpace(strings.TrimSuffix(item, "*"))
		name, args, err := splitCall(item)
		if err != nil {
			return fail("%v", err)
		}
		if i == 0 {
			if name != "input" || code {
				return fail("the text starts with the input, as input(28x28x1) or input(784)")
			}
			if len(args) != 1 {
				return fail("input takes one shape, as 28x28x1")
			}
			if s.Input, err = parseDims(args[0]); err != nil {
				return fail("%v", err)
			}
			continue
		}
		if seenLoss || seenNoise {
			if name != "loss" && name != "noise" {
				return fail("layers come before noise(…) and loss(…)")
			}
		}
		switch name {
		case "input":
			return fail("the input comes once, first")
		case "loss":
			if seenLoss || code || len(args) < 1 || len(args) > 2 || len(args) == 2 && args[1] != "sum" {
				return fail("the text ends with one loss(bce) or loss(mse), or loss(bce,sum) for a loss summed over each digit")
			}
			seenLoss = true
			s.Loss, s.Sum = args[0], len(args) == 2
			continue
		case "noise":
			if len(args) == 2 && args[0] == MaskNoise {
				s.NoiseKind, args = MaskNoise, args[1:]
			}
			if seenNoise || code || len(args) != 1 {
				return fail("noise takes one σ, as noise(0.5), or mask and a probability, as noise(mask,0.3)")
			}
			seenNoise = true
			if s.Noise, err = strconv.ParseFloat(args[0], 64); err != nil {
				return fail("%q is not a number", args[0])
			}
			continue
		}
		l, err := parseLayer(name, args)
		if err != nil {
			return fail("%v", err)
		}
		if code {
			if s.Code >= 0 {
				return fail("a second layer marked as the code (one * only)")
			}
			s.Code = len(s.Layers)
		}
		s.Layers = append(s.Layers, l)
	}
	return s, nil
}

// splitCall splits name(a,b,…) into its name and arguments; a bare name
// has none.
func splitCall(item string) (string, []string, error) {
	open := strings.IndexByte(item, '(')
	if open < 0 {
		if item == "" {
			return "", nil, fmt.Errorf("an empty item")
		}
		return strings.ToLower(item), nil, nil
	}
	if !strings.HasSuffix(item, ")") || strings.Count(item, "(") != 1 || strings.Count(item, ")") != 1 {
		return "", nil, fmt.Errorf("write it as name(arguments)")
	}
	name := strings.ToLower(strings.TrimSpace(item[:open]))
	inner := strings.TrimSpace(item[open+1 : len(item)-1])
	if inner == "" {
		return name, nil, nil
	}
	args := strings.Split(inner, ",")
	for i := range args {
		args[i] = strings.ToLower(strings.TrimSpace(args[i]))
	}
	return name, args, nil
}

// parseDims reads 28x28x1 or 784.
func parseDims(t string) ([]int, error) {
	parts := strings.Split(t, "x")
	if len(parts) > 4 {
		return nil, fmt.Errorf("%q: a shape has at most 3 dimensions", t)
	}
	out := make([]int, len(parts))
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 1<<20 {
			return nil, fmt.Errorf("%q is not a shape such as 28x28x1", t)
		}
		out[i] = n
	}
	return out, nil
}

// parseLayer reads a layer's arguments: the positional ones in order, then
// key=value ones.
func parseLayer(name string, args []string) (Layer, error) {
	var pos []string
	kw := map[string]string{}
	for _, a := range args {
		if k, v, ok := strings.Cut(a, "="); ok {
			if _, dup := kw[k]; dup {
				return Layer{}, fmt.Errorf("%s= comes twice", k)
			}
			kw[k] = v
		} else {
			if len(kw) > 0 {
				return Layer{}, fmt.Errorf("%q comes after a key=value argument", a)
			}
			pos = append(pos, a)
		}
	}
	num := func(t, what string) (int, error) {
		n, err := strconv.Atoi(t)
		if err != nil || n < 0 || n > 1<<20 {
			return 0, fmt.Errorf("%s %q is not a whole number", what, t)
		}
		return n, nil
	}
	want := func(names ...string) error {
		if len(pos) != len(names) {
			return fmt.Errorf("%s takes %s", name, strings.Join(names, ", "))
		}
		return nil
	}
	l := Layer{Kind: name}
	var err error
	for _, k := range []string{"l1", "l2"} {
		v, ok := kw[k]
		if !ok {
			continue
		}
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return l, fmt.Errorf("%s=%s is not a number", k, v)
		}
		if k == "l1" {
			l.L1 = f
		} else {
			l.L2 = f
		}
		delete(kw, k)
	}
	switch name {
	case Dense:
		if err = want("units", "activation"); err != nil {
			return l, err
		}
		if l.Units, err = num(pos[0], "units"); err != nil {
			return l, err
		}
		l.Activation = pos[1]
	case Conv2D:
		if err = want("filters", "kernel size", "activation", "padding"); err != nil {
			return l, err
		}
		if l.Filters, err = num(pos[0], "filters"); err != nil {
			return l, err
		}
		if l.Kernel, err = num(pos[1], "kernel size"); err != nil {
			return l, err
		}
		l.Activation, l.Padding, l.Strides = pos[2], pos[3], 1
		if v, ok := kw["strides"]; ok {
			if l.Strides, err = num(v, "strides"); err != nil {
				return l, err
			}
			delete(kw, "strides")
		}
	case MaxPooling2D:
		if err = want("pool size", "padding"); err != nil {
			return l, err
		}
		if l.Size, err = num(pos[0], "pool size"); err != nil {
			return l, err
		}
		l.Padding = pos[1]
	case UpSampling2D:
		if err = want("size"); err != nil {
			return l, err
		}
		if l.Size, err = num(pos[0], "size"); err != nil {
			return l, err
		}
	case Flatten:
		if err = want(); err != nil {
			return l, fmt.Errorf("flatten takes no arguments")
		}
	case Reshape:
		if err = want("target shape"); err != nil {
			return l, err
		}
		if l.Target, err = parseDims(pos[0]); err != nil {
			return l, err
		}
	case Sampling:
		if err = want("code size"); err != nil {
			return l, err
		}
		if l.Units, err = num(pos[0], "code size"); err != nil {
			return l, err
		}
	default:
		return l, fmt.Errorf("%q is not a layer this playground has (%s)", name, strings.Join(Kinds, ", "))
	}
	for k := range kw {
		return l, fmt.Errorf("%s has no %s= argument", name, k)
	}
	return l, nil
}

// IsText reports whether s is a spec's text rather than a catalogue name:
// spec texts begin with the input.
func IsText(s string) bool { return strings.HasPrefix(strings.TrimSpace(s), "input(") }
