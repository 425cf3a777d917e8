// Nothing typed is lost: forms marked data-offline-draft keep a draft on the device as the person
// types, a submission made without a signal waits in a queue, and the queue is sent when the signal
// returns. Without this file (or without script) every form works as a plain form.
(function () {
  'use strict';
  var store = window.offlineStore;
  if (!store || !window.indexedDB || !window.crypto || !window.crypto.subtle) return;
  var messages = document.getElementById('offline-messages');
  var msg = function (name) {
    return (messages && messages.getAttribute('data-' + name)) || '';
  };
  var csrf = function () {
    var i = document.querySelector('input[name="_csrf"]');
    return i ? i.value : undefined;
  };

  if ('serviceWorker' in navigator)
    navigator.serviceWorker.register('/sw.js').catch(function () {
      /* pages work without it */
    });

  // Sign-out takes the drafts, the queue and the key with it.
  document.querySelectorAll('form[action="/logout"]').forEach(function (form) {
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      store.clearAll().then(function () {
        form.submit();
      });
    });
  });

  function status(text) {
    var box = document.querySelector('[data-offline-status]');
    if (!box) return;
    box.hidden = !text;
    box.textContent = text;
  }

  function fieldsOf(form) {
    var pairs = [];
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.type === 'file' || el.disabled) return;
      if ((el.type === 'checkbox' || el.type === 'radio') && !el.checked) return;
      pairs.push([el.name, el.value]);
    });
    return pairs;
  }

  function summaryOf(form) {
    var code = form.getAttribute('data-offline-summary') || '';
    var total = form.querySelector('[data-lines-total]');
    return code + (total && total.textContent ? ' ' + total.textContent.trim() : '');
  }

  function draftOf(form) {
    return { formId: form.getAttribute('data-offline-draft'), url: form.getAttribute('action'), fields: fieldsOf(form), summary: summaryOf(form) };
  }

  // Put a draft's values back, adding line rows as the lines script does for a person.
  function restore(form, draft) {
    var add = form.querySelector('[data-add-line]');
    draft.fields.forEach(function (pair) {
      if (pair[0] === '_csrf') return;
      var el = form.elements.namedItem(pair[0]);
      var line = /^lines\[(\d+)\]/.exec(pair[0]);
      for (var guard = 0; !el && line && add && guard < 20; guard++) {
        add.click();
        el = form.elements.namedItem(pair[0]);
      }
      if (el && 'value' in el) el.value = pair[1];
    });
    form.dispatchEvent(new Event('input', { bubbles: true }));
  }

  async function readFiles(form) {
    var files = [];
    for (var el of Array.prototype.slice.call(form.querySelectorAll('input[type="file"]'))) {
      for (var file of Array.prototype.slice.call(el.files || [])) {
        files.push({ name: el.name, type: file.type, fileName: file.name, bytes: store.toBase64(await file.arrayBuffer()) });
      }
    }
    return files;
  }

  function askToSend() {
    if (!navigator.onLine) return;
    if (navigator.serviceWorker && navigator.serviceWorker.controller) navigator.serviceWorker.controller.postMessage({ type: 'flush', csrf: csrf() });
    store.flushOutbox(csrf()).then(render, render);
  }

  document.querySelectorAll('form[data-offline-draft]').forEach(function (form) {
    var formId = form.getAttribute('data-offline-draft');
    var refused = form.querySelector('.field-error') || document.querySelector('.error-summary');
    var timer = null;
    var save = function () {
      store.saveDraft(formId, draftOf(form)).catch(function () {});
    };
    // A re-rendered form carries the server's verdict: it wins over an older draft.
    var ready = refused
      ? Promise.resolve()
      : store
          .loadDraft(formId)
          .then(function (draft) {
            if (draft) {
              restore(form, draft);
              status(msg('restored'));
            }
          })
          .catch(function () {});
    ready.then(function () {
      form.addEventListener('input', function () {
        clearTimeout(timer);
        timer = setTimeout(function () {
          timer = null;
          save();
        }, 300);
      });
      form.addEventListener('change', save);
    });
    form.addEventListener('submit', function (event) {
      // Typing not yet saved is saved now; the draft stays until the record page says it exists.
      if (timer) {
        clearTimeout(timer);
        timer = null;
        save();
      }
      if (navigator.onLine) return;
      event.preventDefault();
      var entry = draftOf(form);
      readFiles(form)
        .then(function (files) {
          entry.files = files;
          entry.formKey = (form.elements.namedItem('idempotencyKey') || {}).value || formId;
          return store.enqueue(entry);
        })
        .then(function () {
          return store.deleteDraft(formId);
        })
        .then(function () {
          status(msg('queued'));
          form.querySelectorAll('button[type="submit"]').forEach(function (b) {
            b.disabled = true;
          });
          return (
            navigator.serviceWorker &&
            navigator.serviceWorker.ready.then(function (reg) {
              return reg.sync && reg.sync.register('outbox');
            })
          );
        })
        .catch(function () {
          status(msg('failed'));
        });
    });
  });

  // The record page a successful submission lands on: its form's draft is done with.
  var done = document.querySelector('[data-offline-done]');
  if (done) store.deleteDraft(done.getAttribute('data-offline-done')).catch(function () {});

  // The list of what waits and what was sent (the offline page and the home page show it).
  function render() {
    var list = document.querySelector('[data-offline-list]');
    if (!list) return;
    Promise.all([store.listDrafts(), store.listOutbox()])
      .then(function (both) {
        list.textContent = '';
        var items = both[0]
          .map(function (d) {
            return { text: msg('draft') + ' ' + d.summary, href: null };
          })
          .concat(
            both[1].map(function (o) {
              return { text: msg(o.state) + ' ' + o.summary, href: o.state === 'sent' ? o.location : null };
            }),
          );
        items.forEach(function (item) {
          var li = document.createElement('li');
          if (item.href) {
            var a = document.createElement('a');
            a.href = item.href;
            a.textContent = item.text;
            li.appendChild(a);
          } else li.textContent = item.text;
          list.appendChild(li);
        });
        var empty = document.querySelector('[data-offline-empty]');
        if (empty) empty.hidden = items.length > 0;
        var section = document.querySelector('[data-offline-section]');
        if (section && !section.hasAttribute('data-always')) section.hidden = items.length === 0;
      })
      .catch(function () {});
  }

  window.addEventListener('online', askToSend);
  render();
  askToSend();
})();
