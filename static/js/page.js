/* Small behaviours of every page, kept out of the HTML so that the
 * Content-Security-Policy can forbid inline scripts:
 * - a <select data-autosubmit> submits its form when changed (language);
 * - a <button data-print> prints the page;
 * - a form with data-focus-error focuses its first invalid field (or the
 *   error summary) when the page shows errors;
 * - a <form data-confirm="Cancel this booking?"> asks first, in a <dialog>
 *   (data-confirm-yes / data-confirm-no label its buttons); without script
 *   the form simply submits. */
(function () {
  "use strict";
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
  document.querySelectorAll("button[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.confirmed === "1" || typeof HTMLDialogElement !== "function") return;
      event.preventDefault();
      confirmThen(form, event.submitter);
    });
  });
  var withErrors = document.querySelector("[data-focus-error]");
  if (withErrors) {
    var first = withErrors.querySelector('[aria-invalid="true"]') ||
      document.getElementById("form-errors");
    if (first) { first.focus(); }
  }

  function confirmThen(form, submitter) {
    var dialog = document.createElement("dialog");
    dialog.className = "confirm";
    var question = document.createElement("p");
    question.id = "confirm-question";
    question.textContent = form.dataset.confirm;
    dialog.setAttribute("aria-labelledby", question.id);
    var row = document.createElement("form");
    row.method = "dialog";
    row.className = "row";
    [["yes", form.dataset.confirmYes || "OK", "button danger"],
     ["no", form.dataset.confirmNo || "Cancel", "button secondary"]].forEach(function (b) {
      var button = document.createElement("button");
      button.value = b[0];
      button.textContent = b[1];
      button.className = b[2];
      row.appendChild(button);
    });
    dialog.append(question, row);
    dialog.addEventListener("close", function () {
      dialog.remove();
      if (dialog.returnValue !== "yes") {
        if (submitter) submitter.focus();
        return;
      }
      form.dataset.confirmed = "1";
      if (form.requestSubmit) form.requestSubmit(submitter || undefined);
      else form.submit();
    });
    document.body.appendChild(dialog);
    dialog.showModal();
    row.querySelector('button[value="no"]').focus();  // the safe answer first
  }
})();
