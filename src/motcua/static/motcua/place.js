// The submit page: as the applicant types their address, choose the commune or ward it names among
// those that settle the procedure — until the applicant chooses one themselves.
(function () {
  "use strict";
  var select = document.querySelector("select[data-places]");
  var address = document.querySelector("input[name='address']");
  if (!select || !address) { return; }
  function fold(text) {
    return text.replace(/đ/g, "d").replace(/Đ/g, "D").normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/[,.;]/g, " ").replace(/\s+/g, " ");
  }
  var places = select.getAttribute("data-places").split("|").map(function (pair) {
    var i = pair.indexOf("=");
    return { code: pair.slice(0, i), key: pair.slice(i + 1) };
  });
  var chosenByHand = false;
  select.addEventListener("change", function () { chosenByHand = true; });
  address.addEventListener("input", function () {
    if (chosenByHand) { return; }
    var text = " " + fold(address.value) + " ";
    var best = null;
    places.forEach(function (p) {
      if (p.key && text.indexOf(" " + p.key + " ") >= 0 && (!best || p.key.length > best.key.length)) { best = p; }
    });
    if (best) { select.value = best.code; }
  });
})();
