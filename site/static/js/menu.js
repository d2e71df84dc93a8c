// Browsers without ::details-content keep the menu toggle; on wide screens open it for them.
(function () {
  var menu = document.querySelector(".site-menu");
  if (!menu || CSS.supports("selector(::details-content)")) return;
  var wide = window.matchMedia("(min-width: 60em)");
  function sync() { menu.open = wide.matches; }
  sync();
  wide.addEventListener("change", sync);
})();
