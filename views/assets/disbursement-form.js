// Progressive enhancement of the disbursement form: add and remove line rows, keep a running total.
// The form works without this file (it shows a few empty rows and the server totals on re-render).
(function () {
  'use strict';
  var fieldset = document.querySelector('[data-lines]');
  if (!fieldset) return;
  var list = fieldset.querySelector('[data-line-rows]');
  var addButton = fieldset.querySelector('[data-add-line]');
  var totalOutput = fieldset.querySelector('[data-lines-total]');
  var maxLines = Number(fieldset.getAttribute('data-max-lines')) || 20;
  var labelFor = {
    category: fieldset.getAttribute('data-label-category') || '',
    amount: fieldset.getAttribute('data-label-amount') || '',
  };

  // The same reading as the server's parseYen, for the total only: the server has the last word.
  function readYen(text) {
    var s = String(text || '')
      .normalize('NFKC')
      .trim();
    var m = /^(?:[¥\\]\s?)?((?:[0-9]{1,3}(?:,[0-9]{3})+)|[0-9]+)\s?(?:円)?$/.exec(s);
    if (!m) return null;
    var value = Number(m[1].replace(/,/g, ''));
    return value >= 1 && value <= 10000000 ? value : null;
  }

  function rows() {
    return Array.prototype.slice.call(list.querySelectorAll('[data-line-row]'));
  }

  function updateTotal() {
    var total = 0;
    rows().forEach(function (row) {
      var input = row.querySelector('input');
      var value = input ? readYen(input.value) : null;
      if (value !== null) total += value;
    });
    totalOutput.textContent = '¥' + total.toLocaleString('en-US');
  }

  // Names stay lines[0..n-1][…]; ids, labels and descriptions follow them.
  function renumber() {
    rows().forEach(function (row, i) {
      ['category', 'amount'].forEach(function (part) {
        var control = row.querySelector('[name$="[' + part + ']"]');
        if (!control) return;
        var id = 'f-lines-' + i + '--' + part + '-';
        var oldId = control.id;
        control.name = 'lines[' + i + '][' + part + ']';
        control.id = id;
        var label = row.querySelector('label[for="' + oldId + '"]');
        if (label) {
          label.setAttribute('for', id);
          label.textContent = labelFor[part].replace('{n}', String(i + 1));
        }
        var error = row.querySelector('[id="' + oldId + '-error"]');
        if (error) error.id = id + '-error';
        if (control.hasAttribute('aria-describedby')) control.setAttribute('aria-describedby', id + '-error');
      });
    });
    var count = rows().length;
    rows().forEach(function (row) {
      row.querySelector('[data-remove-line]').hidden = count <= 1;
    });
    addButton.hidden = count >= maxLines;
  }

  function addRow() {
    var all = rows();
    if (all.length >= maxLines) return;
    var fresh = all[all.length - 1].cloneNode(true);
    fresh.querySelectorAll('.error').forEach(function (el) {
      el.remove();
    });
    fresh.querySelectorAll('.field-error').forEach(function (el) {
      el.classList.remove('field-error');
    });
    fresh.querySelectorAll('input, select').forEach(function (control) {
      control.removeAttribute('aria-invalid');
      control.removeAttribute('aria-describedby');
      if (control.tagName === 'SELECT') control.selectedIndex = 0;
      else control.value = '';
    });
    list.appendChild(fresh);
    renumber();
    updateTotal();
    var first = fresh.querySelector('select');
    if (first) first.focus();
  }

  list.addEventListener('click', function (event) {
    var button = event.target.closest('[data-remove-line]');
    if (!button || rows().length <= 1) return;
    var row = button.closest('[data-line-row]');
    var next = row.nextElementSibling || row.previousElementSibling;
    row.remove();
    renumber();
    updateTotal();
    if (next) next.querySelector('select').focus();
  });
  list.addEventListener('input', updateTotal);
  addButton.addEventListener('click', addRow);
  addButton.hidden = false;
  renumber();
  updateTotal();
})();
