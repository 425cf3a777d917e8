// Progressive enhancement only: every page works without this file.
(function () {
  'use strict';

  // A table or chart wider than the phone scrolls inside its wrapper. Keyboard users can only
  // scroll it once it takes focus (WCAG 2.1.1), so a wrapper that overflows becomes a named,
  // focusable region; one that fits adds no extra tab stop.
  function nameOf(wrap) {
    var caption = wrap.querySelector('caption, svg > title');
    if (caption && caption.textContent.trim()) return caption.textContent.trim();
    var section = wrap.closest('section[aria-labelledby]');
    var heading = section && document.getElementById(section.getAttribute('aria-labelledby'));
    return heading ? heading.textContent.trim() : '';
  }

  function markScrollable() {
    document.querySelectorAll('.table-wrap, .chart-scroll').forEach(function (wrap) {
      var scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
      if (scrolls && !wrap.hasAttribute('tabindex')) {
        wrap.setAttribute('tabindex', '0');
        wrap.setAttribute('data-scroll-region', '');
        var name = nameOf(wrap);
        if (name) {
          wrap.setAttribute('role', 'group'); // not a landmark: its section already is one, with the same name
          wrap.setAttribute('aria-label', name);
        }
      } else if (!scrolls && wrap.hasAttribute('data-scroll-region')) {
        ['tabindex', 'data-scroll-region', 'role', 'aria-label'].forEach(function (attr) {
          wrap.removeAttribute(attr);
        });
      }
    });
  }

  // A form sent back with mistakes: focus the summary so it is read first, and let each of its
  // links put the cursor in the field (a plain #fragment only scrolls), with the field's label in view.
  var summary = document.querySelector('.error-summary');
  if (summary) {
    summary.focus();
    summary.addEventListener('click', function (event) {
      var link = event.target.closest('a[href^="#"]');
      var target = link && document.getElementById(link.getAttribute('href').slice(1));
      if (!target) return;
      var control = target.matches('input, select, textarea, button') ? target : target.querySelector('input, select, textarea');
      if (!control) return;
      event.preventDefault();
      var label = (control.labels && control.labels[0]) || target;
      label.scrollIntoView({ block: 'start' });
      control.focus({ preventScroll: true });
    });
  }

  var pending = null;
  window.addEventListener('resize', function () {
    if (pending) window.cancelAnimationFrame(pending);
    pending = window.requestAnimationFrame(markScrollable);
  });
  markScrollable();

  // 受領書: a print button only where script runs (the browser's own print works without it).
  document.querySelectorAll('.js-print').forEach(function (button) {
    button.hidden = false;
    button.addEventListener('click', function () {
      window.print();
    });
  });
})();
