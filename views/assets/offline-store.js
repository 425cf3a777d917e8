// Drafts and queued submissions kept on the device, shared by the pages and the service worker.
// Everything stored is encrypted with an AES-GCM key that WebCrypto created non-extractable: the
// key never leaves the browser, and clearing the database (at sign-out) destroys it with the data.
(function (scope) {
  'use strict';
  var DB_NAME = 'kinkyu-offline';
  var STORES = ['meta', 'drafts', 'outbox'];

  function request(req) {
    return new Promise(function (resolve, reject) {
      req.onsuccess = function () {
        resolve(req.result);
      };
      req.onerror = function () {
        reject(req.error);
      };
    });
  }

  function open() {
    var req = scope.indexedDB.open(DB_NAME, 1);
    req.onupgradeneeded = function () {
      STORES.forEach(function (name) {
        if (!req.result.objectStoreNames.contains(name)) req.result.createObjectStore(name);
      });
    };
    return request(req);
  }

  function withStore(name, mode, fn) {
    return open().then(function (db) {
      var tx = db.transaction(name, mode);
      var result = fn(tx.objectStore(name));
      return new Promise(function (resolve, reject) {
        tx.oncomplete = function () {
          db.close();
          resolve(result && 'result' in result ? result.result : result);
        };
        tx.onerror = function () {
          db.close();
          reject(tx.error);
        };
        tx.onabort = function () {
          db.close();
          reject(tx.error);
        };
      });
    });
  }

  function get(store, id) {
    return withStore(store, 'readonly', function (s) {
      return s.get(id);
    });
  }
  function put(store, id, value) {
    return withStore(store, 'readwrite', function (s) {
      s.put(value, id);
    });
  }
  function remove(store, id) {
    return withStore(store, 'readwrite', function (s) {
      s.delete(id);
    });
  }
  function all(store) {
    return withStore(store, 'readonly', function (s) {
      return s.getAll();
    });
  }

  var keyPromise = null;
  function key() {
    keyPromise =
      keyPromise ||
      get('meta', 'key').then(function (existing) {
        if (existing) return existing;
        return scope.crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']).then(function (created) {
          return put('meta', 'key', created).then(function () {
            return created;
          });
        });
      });
    return keyPromise;
  }

  function seal(value) {
    var iv = scope.crypto.getRandomValues(new Uint8Array(12));
    var plain = new TextEncoder().encode(JSON.stringify(value));
    return key()
      .then(function (k) {
        return scope.crypto.subtle.encrypt({ name: 'AES-GCM', iv: iv }, k, plain);
      })
      .then(function (data) {
        return { iv: iv, data: data };
      });
  }

  function unseal(box) {
    return key()
      .then(function (k) {
        return scope.crypto.subtle.decrypt({ name: 'AES-GCM', iv: box.iv }, k, box.data);
      })
      .then(function (plain) {
        return JSON.parse(new TextDecoder().decode(plain));
      });
  }

  function toBase64(buffer) {
    var bytes = new Uint8Array(buffer),
      s = '';
    for (var i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    return scope.btoa(s);
  }

  function fromBase64(text) {
    var s = scope.atob(text),
      bytes = new Uint8Array(s.length);
    for (var i = 0; i < s.length; i++) bytes[i] = s.charCodeAt(i);
    return bytes;
  }

  /** A draft: the fields typed so far, by form. `summary` is what a list shows (case code, total). */
  function saveDraft(formId, draft) {
    return seal(draft).then(function (box) {
      return put('drafts', formId, { id: formId, savedAt: Date.now(), box: box });
    });
  }
  function loadDraft(formId) {
    return exists()
      .then(function (yes) {
        return yes ? get('drafts', formId) : null;
      })
      .then(function (row) {
        return row ? unseal(row.box) : null;
      });
  }
  function deleteDraft(formId) {
    return exists().then(function (yes) {
      return yes ? remove('drafts', formId) : undefined;
    });
  }
  function listDrafts() {
    return exists()
      .then(function (yes) {
        return yes ? all('drafts') : [];
      })
      .then(function (rows) {
        return Promise.all(
          rows.map(function (row) {
            return unseal(row.box).then(function (d) {
              return { id: row.id, savedAt: row.savedAt, summary: d.summary || '' };
            });
          }),
        );
      });
  }

  /** Queue a submission; its one-time form key is its id, so sending it twice records it once. */
  function enqueue(entry) {
    return seal(entry).then(function (box) {
      return put('outbox', entry.formKey, { id: entry.formKey, state: 'waiting', queuedAt: Date.now(), box: box });
    });
  }

  function listOutbox() {
    return exists()
      .then(function (yes) {
        return yes ? all('outbox') : [];
      })
      .then(function (rows) {
        return Promise.all(
          rows.map(function (row) {
            return unseal(row.box).then(function (e) {
              return { id: row.id, state: row.state, queuedAt: row.queuedAt, sentAt: row.sentAt, location: e.location, summary: e.summary || '' };
            });
          }),
        );
      });
  }

  function formDataOf(entry, csrf) {
    var body = new FormData();
    entry.fields.forEach(function (pair) {
      body.append(pair[0], pair[0] === '_csrf' && csrf ? csrf : pair[1]);
    });
    (entry.files || []).forEach(function (f) {
      body.append(f.name, new Blob([fromBase64(f.bytes)], { type: f.type }), f.fileName);
    });
    return body;
  }

  /** Whether anything is kept at all: sending must not recreate the database sign-out deleted. */
  function exists() {
    if (!scope.indexedDB.databases) return Promise.resolve(true);
    return scope.indexedDB.databases().then(function (dbs) {
      return dbs.some(function (d) {
        return d.name === DB_NAME;
      });
    });
  }

  var flushing = null;
  /**
   * Send every waiting submission. A record page at the end means it is recorded (kept as 'sent',
   * without its contents); a refusal is kept for the person to open and fix; a failure waits.
   */
  function flushOutbox(csrf) {
    if (flushing) return flushing;
    flushing = exists()
      .then(function (yes) {
        return yes ? all('outbox') : [];
      })
      .then(function (rows) {
        var waiting = rows.filter(function (r) {
          return r.state === 'waiting';
        });
        return waiting.reduce(function (chain, row) {
          return chain.then(function () {
            return unseal(row.box).then(function (entry) {
              return scope.fetch(entry.url, { method: 'POST', body: formDataOf(entry, csrf), credentials: 'same-origin' }).then(
                function (res) {
                  var path = new URL(res.url).pathname;
                  if (res.ok && /^\/disbursements\/\d+$/.test(path)) {
                    return seal({ summary: entry.summary || '', location: path }).then(function (box) {
                      return put('outbox', row.id, { id: row.id, state: 'sent', queuedAt: row.queuedAt, sentAt: Date.now(), box: box });
                    });
                  }
                  if (path === '/login') return null; // signed out: wait for the next sign-in
                  if (res.status >= 400 && res.status < 500) {
                    return saveDraft(entry.formId, entry).then(function () {
                      return put('outbox', row.id, { id: row.id, state: 'refused', queuedAt: row.queuedAt, box: row.box });
                    });
                  }
                  return null;
                },
                function () {
                  return null;
                },
              );
            });
          });
        }, Promise.resolve());
      })
      .then(
        function (result) {
          flushing = null;
          return result;
        },
        function (error) {
          flushing = null;
          throw error;
        },
      );
    return flushing;
  }

  function forget(id) {
    return remove('outbox', id);
  }

  /** Sign-out: the drafts, the queue and the key go together. */
  function clearAll() {
    keyPromise = null;
    return request(scope.indexedDB.deleteDatabase(DB_NAME)).then(
      function () {
        return undefined;
      },
      function () {
        return undefined;
      },
    );
  }

  scope.offlineStore = {
    saveDraft: saveDraft,
    loadDraft: loadDraft,
    deleteDraft: deleteDraft,
    listDrafts: listDrafts,
    enqueue: enqueue,
    listOutbox: listOutbox,
    flushOutbox: flushOutbox,
    forget: forget,
    clearAll: clearAll,
    toBase64: toBase64,
  };
})(self);
