// Package protocol defines the messages between the page and its training
// workers. Both sides are Go; the messages cross postMessage as plain
// JavaScript objects whose fields are numbers, strings, booleans and typed
// arrays, so they are structured-cloned cheaply and float data can be
// transferred rather than copied.
//
// The types here are plain Go: each message converts to and from a Fields
// map through the Object interface, which the js/wasm glue implements over
// syscall/js and the tests implement over a Go map. So the protocol is
// tested natively, and again under GOOS=js through the real glue. Every
// decoder validates what it reads (types, ranges, sizes, finite numbers)
// and returns an error rather than a value a worker could not use; a fuzz
// test holds them to it.
//
// Every request carries an id ("id"); every reply to it, an Error too,
// carries that id back ("re"), so that whoever asked learns how it ended.
//
// Page → leading worker, each with the reply it gets:
//
//	init          Init             → ready (Ready)
//	setModel      SetModel         → ready
//	grid          GridRequest      → grid (Grid); refreshed as a run learns
//	train         TrainConfig      → ready, then download, epoch (the baseline, then each), progress, grid; done (Done)
//	pause         Control          → progress with paused set
//	resume, step  Control          → a run's progress goes on
//	stop          Control          → the run's done
//	reset         Control          → ready
//	restore       Control          → ready (the previous kept model, swapped in)
//	export        Control          → weights (WeightsFile)
//	setAside      Control          → weights (the kept file that could not be read)
//	import        WeightsFile      → ready
//	decode        DecodeRequest    → decode (Decoded)
//	latent        Control          → download, latent (Latent)
//	decodePoint   DecodePoint      → decode, tag "point"
//	interpolate   Interpolate      → decode, tag "interpolate"
//	encode        Encode           → encode (Encoded)
//	peek          Peek             → grid, tag "peek"
//	compare       CompareRequest   → compare (Compare)
//	data          DataFile         → ready
//	connect       Connect (+ port) → none: the port joins leader and follower
//
// Any request may instead be answered by error (Error). Leader ↔ follower,
// over the MessageChannel ports the page sets up: setup (the run's
// TrainConfig), shard, apply and evalReq from the leader; grads and evalRes
// from the follower.
package protocol
