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

  /* A select with data-search (the agency pickers) gets a search box above it that narrows its options
     as one types, accents and capitals aside: "buon ma" finds "Buôn Ma Thuột". The options are moved
     out of the select and back, not hidden, because some browsers show hidden options anyway. */
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[đĐ]/g, "d").toLowerCase();
  }

  function searchable(select) {
    var parts = Array.prototype.map.call(select.children, function (node) {
      return { node: node, options: node.tagName === "OPTGROUP" ? Array.prototype.slice.call(node.children) : [node] };
    });
    var all = [];
    parts.forEach(function (part) { all = all.concat(part.options); });
    var keys = all.map(function (option) { return fold(option.text); });

    var box = document.createElement("input");
    box.type = "search";
    box.id = select.id + "_search";
    box.className = "form-control mc-select-search" + (select.classList.contains("form-select-sm") ? " form-control-sm" : "");
    box.placeholder = select.dataset.searchHint;
    box.autocomplete = "off";
    box.setAttribute("aria-label", select.dataset.search);
    box.setAttribute("aria-controls", select.id);
    var found = document.createElement("div");
    found.id = select.id + "_found";
    found.className = "form-text mc-select-found";
    found.setAttribute("aria-live", "polite");
    box.setAttribute("aria-describedby", found.id);
    select.insertAdjacentElement("beforebegin", box);
    select.insertAdjacentElement("beforebegin", found);

    function narrow() {
      var words = fold(box.value).split(/\s+/).filter(Boolean);
      var kept = all.filter(function (option, i) {
        return words.every(function (word) { return keys[i].indexOf(word) !== -1; });
      });
      var none = words.length > 0 && kept.length === 0;
      if (none) { kept = all; }  // nothing hidden when nothing matches: the form keeps a choice
      var chosen = select.value;
      select.textContent = "";
      parts.forEach(function (part) {
        var mine = part.options.filter(function (option) { return kept.indexOf(option) !== -1; });
        if (part.node.tagName === "OPTGROUP") {
          part.node.textContent = "";
          mine.forEach(function (option) { part.node.appendChild(option); });
          if (mine.length) { select.appendChild(part.node); }
        } else if (mine.length) {
          select.appendChild(part.node);
        }
      });
      // Keep the choice if it is still listed, else take the first match.
      var still = kept.some(function (option) { return option.value === chosen; });
      select.value = still ? chosen : kept[0].value;
      found.textContent = !words.length ? "" : none ? select.dataset.searchNone : select.dataset.searchCount.replace("{n}", String(kept.length));
    }

    box.addEventListener("input", narrow);
    box.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); }  // typing a name must not send the form
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("select[data-search]"), searchable);
})();
