/* Progressive enhancements of the forms on every page; each form works without them. No inline
   script (CSP): the words come from the page, in data attributes the server translated. */
(function () {
  "use strict";

  function describedBy(input, id, on) {
    var ids = (input.getAttribute("aria-describedby") || "").split(/\s+/).filter(function (x) {
      return x && x !== id;
    });
    if (on) { ids.push(id); }
    if (ids.length) { input.setAttribute("aria-describedby", ids.join(" ")); } else { input.removeAttribute("aria-describedby"); }
  }

  /* A file input with data-max-bytes refuses a file over the limit the moment it is chosen, with the
     server's own message (data-too-large) next to it, so nobody waits for a 21 MB upload to be told.
     The files service still checks every upload. */
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!(input instanceof HTMLInputElement) || input.type !== "file" || !input.dataset.maxBytes) { return; }
    var limit = Number(input.dataset.maxBytes);
    var tooLarge = Array.prototype.some.call(input.files || [], function (file) { return file.size > limit; });
    var id = input.id + "_limit";
    var note = document.getElementById(id);
    if (!tooLarge) {
      if (note) {
        if (!note.dataset.wasInvalid) {  // leave the server's own error state alone
          input.classList.remove("is-invalid");
          input.removeAttribute("aria-invalid");
        }
        note.remove();
        describedBy(input, id, false);
      }
      return;
    }
    input.value = "";
    if (!note) {
      note = document.createElement("div");
      note.id = id;
      note.className = "invalid-feedback d-block";
      note.setAttribute("role", "alert");
      note.dataset.wasInvalid = input.classList.contains("is-invalid") ? "1" : "";
      input.insertAdjacentElement("afterend", note);
    }
    note.textContent = input.dataset.tooLarge;
    input.classList.add("is-invalid");
    input.setAttribute("aria-invalid", "true");
    describedBy(input, id, true);
  });
})();
