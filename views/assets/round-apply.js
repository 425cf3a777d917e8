// Progressive enhancement of a round application: the running total follows each tick and each
// people count as typed. Without this file the "recalculate" button asks the server instead.
(function () {
  'use strict';
  var form = document.querySelector('form.round-apply');
  if (!form) return;
  var amount = Number(form.getAttribute('data-round-amount')) || 0;
  var perPerson = form.getAttribute('data-round-unit') === 'person';
  var running = form.querySelector('[data-running]');
  var template = running ? running.getAttribute('data-template') || '' : '';
  var yen = function (n) {
    return '¥' + n.toLocaleString('en-US');
  };

  function update() {
    var cases = 0,
      people = 0,
      total = 0;
    form.querySelectorAll('tbody tr').forEach(function (row) {
      var tick = row.querySelector('input[type="checkbox"]');
      var count = row.querySelector('input[name$="[people]"]');
      var cell = row.querySelector('[data-entry-amount]');
      var n = Number(
        String((count && count.value) || '')
          .normalize('NFKC')
          .trim(),
      );
      var valid = Number.isInteger(n) && n >= 1 && n <= 20;
      var line = tick && tick.checked && valid ? (perPerson ? amount * n : amount) : 0;
      if (cell) cell.textContent = tick && tick.checked ? (valid ? yen(line) : '—') : '';
      if (tick && tick.checked) {
        cases += 1;
        people += valid ? n : 0;
        total += line;
      }
    });
    if (running && template)
      running.textContent = template.replace('{cases}', String(cases)).replace('{people}', String(people)).replace('{total}', yen(total));
  }
  form.addEventListener('input', update);
  form.addEventListener('change', update);
})();
