// Accessibility fixes to the markup that the theme (pydata-sphinx-theme 0.17
// under sphinx-book-theme 1.3) and docutils write, found by axe-core in
// tests/test_site_a11y.py. Registered in _config.yml (html_js_files).
function fixMarkup() {
  // The search field's button shows "Search Ctrl+K" but was named "Search":
  // a name must contain the visible label, so its text names it.
  document.querySelectorAll("button.search-button-field").forEach((b) => b.removeAttribute("aria-label"));
  // The colour-mode button is named "Color mode"; its icons ("Light", "Dark",
  // "System Settings") are decoration. Font Awesome turns each <i> into an
  // <svg> with a <title> (before or after this runs): hide both forms.
  document.querySelectorAll(".theme-switch-button i").forEach((i) => i.removeAttribute("title"));
  document.querySelectorAll(".theme-switch-button svg").forEach((svg) => {
    svg.setAttribute("aria-hidden", "true");
    svg.removeAttribute("role");
    svg.removeAttribute("aria-labelledby");
    svg.querySelectorAll("title").forEach((t) => t.remove());
  });
  // docutils makes the bibliography a list whose entries have the deprecated
  // role doc-biblioentry, which is no list item: make them list items.
  document
    .querySelectorAll('.citation-list > [role="doc-biblioentry"]')
    .forEach((e) => e.setAttribute("role", "listitem"));
}
document.addEventListener("DOMContentLoaded", fixMarkup);
window.addEventListener("load", fixMarkup);
