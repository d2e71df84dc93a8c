// Without this script every field of the sign-up form stays visible; with it, only those
// for the chosen role.
(function () {
  var form = document.querySelector("[data-signup-form]");
  if (!form) return;
  var radios = form.querySelectorAll("input[name='role']");
  function update() {
    var checked = form.querySelector("input[name='role']:checked");
    form.querySelectorAll("[data-show-for]").forEach(function (field) {
      var roles = field.getAttribute("data-show-for").split(" ");
      var hasError = field.classList.contains("field-error");
      field.hidden = Boolean(checked) && roles.indexOf(checked.value) === -1 && !hasError;
    });
  }
  radios.forEach(function (radio) { radio.addEventListener("change", update); });
  update();
})();
