// "Tous les marchés": on wide screens the filters stand open beside the results. CSS does it
// where ::details-content is supported; elsewhere open the <details> here. Phones keep it
// folded ("Filtrer (2)") so the results come first.
(function () {
  if (!window.matchMedia("(min-width: 801px)").matches) return;
  if (window.CSS && CSS.supports && CSS.supports("selector(::details-content)")) return;
  document.querySelectorAll(".filters-panel").forEach(function (panel) {
    panel.open = true;
  });
})();
