/* Small behaviours of every page, kept out of the HTML so that the
 * Content-Security-Policy can forbid inline scripts:
 * - a <select data-autosubmit> submits its form when changed (language);
 * - a <button data-print> prints the page;
 * - a form with data-focus-error focuses its first invalid field (or the
 *   error summary) when the page shows errors. */
(function () {
  "use strict";
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
  document.querySelectorAll("button[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
  var withErrors = document.querySelector("[data-focus-error]");
  if (withErrors) {
    var first = withErrors.querySelector('[aria-invalid="true"]') ||
      document.getElementById("form-errors");
    if (first) { first.focus(); }
  }
})();
