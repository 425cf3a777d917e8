// The service worker: an offline page when there is no signal, and the queue sent when it returns.
// Pages are never cached (they may hold identity, and `no-store` says so); only static assets and
// the offline page, which holds none, are.
'use strict';
importScripts('/assets/offline-store.js');

var CACHE = 'kinkyu-v3';
var PRECACHE = [
  '/offline',
  '/assets/app.css',
  '/assets/phones.css',
  '/assets/app.js',
  '/assets/offline-store.js',
  '/assets/offline-drafts.js',
  '/assets/icon.svg',
];

self.addEventListener('install', function (event) {
  event.waitUntil(
    caches
      .open(CACHE)
      .then(function (cache) {
        return cache.addAll(PRECACHE);
      })
      .then(function () {
        return self.skipWaiting();
      }),
  );
});

self.addEventListener('activate', function (event) {
  event.waitUntil(
    caches
      .keys()
      .then(function (names) {
        return Promise.all(
          names
            .filter(function (n) {
              return n !== CACHE;
            })
            .map(function (n) {
              return caches.delete(n);
            }),
        );
      })
      .then(function () {
        return self.clients.claim();
      }),
  );
});

self.addEventListener('fetch', function (event) {
  var req = event.request;
  if (req.method !== 'GET') return;
  var url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  if (req.mode === 'navigate') {
    // Network only; without a network, the offline page (drafts and the queue live there).
    event.respondWith(
      fetch(req).catch(function () {
        return caches.match('/offline');
      }),
    );
    return;
  }
  if (PRECACHE.indexOf(url.pathname) >= 0) {
    event.respondWith(
      fetch(req)
        .then(function (res) {
          var copy = res.clone();
          caches.open(CACHE).then(function (cache) {
            cache.put(url.pathname, copy);
          });
          return res;
        })
        .catch(function () {
          return caches.match(url.pathname);
        }),
    );
  }
});

self.addEventListener('sync', function (event) {
  if (event.tag === 'outbox') event.waitUntil(self.offlineStore.flushOutbox());
});

self.addEventListener('message', function (event) {
  if (event.data && event.data.type === 'flush') event.waitUntil(self.offlineStore.flushOutbox(event.data.csrf));
});
