// Ours (MIT), not part of @jupyter-widgets/html-manager. Loaded after require.js and before embed-amd.js
// (see nb_ipywidgets_js in _config.yml). embed-amd.js fetches the widgets' icon fonts relative to the
// RequireJS addresses of the modules it defines ("@jupyter-widgets/base", "…/html-manager/dist/libembed-amd"),
// which by default lie under the page's folder (…/@jupyter-widgets/…, a 404). Map them to this folder.
(function () {
  var here = document.currentScript.src.replace(/[^/]*$/, "");
  window.__jupyter_widgets_assets_path__ = here;
  if (window.requirejs) {
    var dir = here.replace(/\/$/, "");
    // the bundle defines @jupyter-widgets/base, /controls, /output and /html-manager/dist/libembed-amd
    window.requirejs.config({paths: {"@jupyter-widgets": dir, "@jupyter-widgets/html-manager/dist": dir}});
  }
  // ipywidgets 8.1's sliders draw their handle (role="slider") without an accessible name; the widget's
  // visible label (its description) is not linked to it (axe: aria-input-field-name). Link them.
  function nameSliders(root) {
    root.querySelectorAll(".noUi-handle[role=slider]:not([aria-label]):not([aria-labelledby])").forEach(function (h) {
      var widget = h.closest(".widget-slider, .jupyter-widget-slider, .widget-hslider, .widget-vslider");
      var label = widget && widget.querySelector("label, .widget-label");
      var text = label && label.textContent.trim();
      h.setAttribute("aria-label", text || "slider");
    });
  }
  new MutationObserver(function () { nameSliders(document); })
    .observe(document.documentElement, {childList: true, subtree: true});
})();
