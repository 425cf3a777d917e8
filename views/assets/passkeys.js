// Runs the WebAuthn ceremony for forms marked data-passkey="create" or "get": the browser signs the
// server's challenge, the answer goes into the form's hidden fields, and the form posts as usual.
(function () {
  'use strict';

  function toBytes(text) {
    var b64 = text.replace(/-/g, '+').replace(/_/g, '/');
    var raw = atob(b64 + '==='.slice((b64.length + 3) % 4));
    var out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
    return out;
  }

  function toText(buffer) {
    var bytes = new Uint8Array(buffer);
    var raw = '';
    for (var i = 0; i < bytes.length; i++) raw += String.fromCharCode(bytes[i]);
    return btoa(raw).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }

  function withIds(list) {
    return (list || []).map(function (c) {
      return { type: c.type, id: toBytes(c.id) };
    });
  }

  function set(form, name, value) {
    form.querySelector('input[name="' + name + '"]').value = value;
  }

  function ceremony(form) {
    var o = JSON.parse(form.getAttribute('data-options'));
    if (form.getAttribute('data-passkey') === 'create') {
      var publicKey = {
        challenge: toBytes(o.challenge),
        rp: o.rp,
        pubKeyCredParams: o.pubKeyCredParams,
        timeout: o.timeout,
        user: { id: toBytes(o.user.id), name: o.user.name, displayName: o.user.displayName },
        excludeCredentials: withIds(o.excludeCredentials),
        authenticatorSelection: o.authenticatorSelection,
        attestation: o.attestation,
      };
      return navigator.credentials.create({ publicKey: publicKey }).then(function (credential) {
        set(form, 'clientDataJSON', toText(credential.response.clientDataJSON));
        set(form, 'attestationObject', toText(credential.response.attestationObject));
      });
    }
    return navigator.credentials
      .get({
        publicKey: {
          challenge: toBytes(o.challenge),
          rpId: o.rpId,
          allowCredentials: withIds(o.allowCredentials),
          userVerification: o.userVerification,
          timeout: o.timeout,
        },
      })
      .then(function (credential) {
        set(form, 'credentialId', toText(credential.rawId));
        set(form, 'clientDataJSON', toText(credential.response.clientDataJSON));
        set(form, 'authenticatorData', toText(credential.response.authenticatorData));
        set(form, 'signature', toText(credential.response.signature));
      });
  }

  document.querySelectorAll('form[data-passkey]').forEach(function (form) {
    if (!window.PublicKeyCredential || !navigator.credentials) {
      var note = form.querySelector('[data-passkey-unsupported]');
      if (note) note.hidden = false;
      form.querySelector('button[type="submit"]').disabled = true;
      return;
    }
    form.addEventListener('submit', function (event) {
      if (form.querySelector('input[name="clientDataJSON"]').value !== '') return;
      event.preventDefault();
      // A refused or cancelled ceremony still posts: the server answers with its translated message.
      ceremony(form)
        .catch(function () {
          /* the empty fields get the server's translated message */
        })
        .then(function () {
          form.submit();
        });
    });
  });
})();
