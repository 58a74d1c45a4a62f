// The submit page: a document taken from the citizen's data warehouse needs no upload, so the file
// input beside it steps aside while one is chosen. Without this script both stay and the choice wins.
(function () {
  "use strict";
  function follow(radio) {
    var wrapper = document.getElementById(radio.getAttribute("data-warehouse-for") + "_upload");
    var input = document.getElementById(radio.getAttribute("data-warehouse-for"));
    if (!wrapper || !input) { return; }
    var fromWarehouse = radio.value !== "";
    wrapper.hidden = fromWarehouse;
    input.disabled = fromWarehouse;
  }
  var radios = document.querySelectorAll("input[data-warehouse-for]");
  Array.prototype.forEach.call(radios, function (radio) {
    if (radio.checked) { follow(radio); }
    radio.addEventListener("change", function () { if (radio.checked) { follow(radio); } });
  });
})();
