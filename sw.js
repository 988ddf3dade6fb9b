// The playground's service worker: after a first visit the page works
// offline. It lives at the site's root, beside index.html, because a
// service worker only controls pages under its own directory (web/sw.js
// could not control index.html without a header static hosts cannot set).
//
// Network first, cache as fallback: online, every file comes fresh from the
// server (a rebuild shows at once, as without a service worker) and the
// copy in the cache is refreshed; offline, the cached copy answers. What
// the first load needs is cached when the worker installs; the rest (other
// models' weights, the training set) as it is first fetched.
"use strict";

const CACHE = "aeplay-v1";
const CORE = [
  "./",
  "web/style.css",
  "web/loader.js",
  "web/wasm_exec.js",
  "web/app.wasm",
  "web/worker.js",
  "web/data/sample-images-idx3-ubyte.gz",
  "web/data/sample-labels-idx1-ubyte.gz",
  "web/data/first-digits-1x10.png",
  "web/data/first-digits-2x5.png",
];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(CORE)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith("aeplay-") && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

// The page sends the files it used before this worker took control (the
// model it showed, say); they are cached too, and the page told when done.
self.addEventListener("message", (event) => {
  const urls = (event.data && event.data.cache) || [];
  event.waitUntil(
    caches.open(CACHE)
      .then((c) => Promise.all(urls.map((u) => c.match(u, { ignoreVary: true }).then((hit) => hit || c.add(u).catch(() => null)))))
      .then(() => caches.open(CACHE))
      .then((c) => c.keys())
      .then((keys) => event.source && event.source.postMessage({ type: "offline-ready", files: keys.length })),
  );
});

self.addEventListener("fetch", (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (req.method !== "GET" || url.origin !== self.location.origin || req.headers.has("range")) {
    return;
  }
  event.respondWith(
    fetch(req)
      .then((resp) => {
        if (resp.ok && resp.status === 200) {
          const copy = resp.clone();
          event.waitUntil(caches.open(CACHE).then((c) => c.put(req, copy)).catch(() => {}));
        }
        return resp;
      })
      .catch(() =>
        caches.match(req, { ignoreVary: true, ignoreSearch: true })
          .then((hit) => hit || (req.mode === "navigate" ? caches.match("./", { ignoreVary: true }) : undefined))
          .then((hit) => hit || new Response(
            "Offline, and " + url.pathname + " was not kept from an earlier visit.",
            { status: 503, statusText: "Offline", headers: { "Content-Type": "text/plain; charset=utf-8" } },
          ))
      ),
  );
});
