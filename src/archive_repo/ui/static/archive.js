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
  // <button data-add-row="TABLE-ID">: one more blank row like the table's last
  document.querySelectorAll("button[data-add-row]").forEach(function (button) {
    button.addEventListener("click", function () {
      var table = document.getElementById(button.dataset.addRow);
      var row = table.rows[table.rows.length - 1].cloneNode(true);
      row.querySelectorAll("input, select").forEach(function (field) { field.value = ""; });
      table.rows[table.rows.length - 1].parentNode.appendChild(row);
    });
  });
})();
