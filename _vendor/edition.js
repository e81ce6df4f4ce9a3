// The language switch (_ext/edition.py) opens the same page in the other
// edition in this tab (the theme opens its header links in a new one), and
// tells screen readers which language its label is in.
document.addEventListener("DOMContentLoaded", () => {
  const other = document.querySelector('link[rel="alternate"][hreflang]');
  document.querySelectorAll("a.btn-language-switch").forEach((link) => {
    link.removeAttribute("target");
    if (other) {
      link.hreflang = other.hreflang;
      link.lang = other.hreflang;
    }
  });
});
