/* archive_repo — small progressive helpers; every page works without them. */
(function () {
  "use strict";
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase();
  }
  // <input data-filter="SELECTOR">: hides the items whose text lacks what is typed
  document.querySelectorAll("input[data-filter]").forEach(function (input) {
    input.addEventListener("input", function () {
      var wanted = fold(input.value.trim());
      document.querySelectorAll(input.dataset.filter).forEach(function (item) {
        item.hidden = wanted !== "" && fold(item.textContent).indexOf(wanted) < 0;
      });
    });
  });
})();
