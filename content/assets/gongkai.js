// Filters for tables marked with a <form data-gk-filter="TABLE-ID">: without JavaScript the whole table shows.
document.querySelectorAll("form[data-gk-filter]").forEach((form) => {
  const table = document.getElementById(form.dataset.gkFilter);
  if (!table) return;
  form.hidden = false;
  // Said when no row is left, rather than an empty table (data-gk-empty holds the words).
  const empty = document.createElement("p");
  empty.setAttribute("role", "status");
  table.after(empty);
  const apply = () => {
    const wanted = Object.fromEntries(new FormData(form));
    let shown = 0;
    for (const row of table.tBodies[0].rows) {
      row.hidden = Object.entries(wanted).some(([key, value]) => value && row.dataset[key] !== value);
      shown += row.hidden ? 0 : 1;
    }
    empty.textContent = shown ? "" : form.dataset.gkEmpty || "";
  };
  form.addEventListener("change", apply);
});

// Material's bundle fetches sitemap.xml beside every <link rel="alternate"> once the page has loaded (it takes them
// for language versions of the site); beside our feeds there is none, so every page asked for feeds/sitemap.xml twice
// and got 404. The feed links stay rel="alternate" in the HTML, where feed readers look; only while Material looks
// (its DOMContentLoaded handler runs before ours) they read "alternate feed", which its selector does not match.
const feedLinks = [...document.querySelectorAll('link[rel="alternate"][type$="+xml"]')];
feedLinks.forEach((link) => { link.rel = "alternate feed"; });
document.addEventListener("DOMContentLoaded", () => feedLinks.forEach((link) => { link.rel = "alternate"; }), { once: true });

// On a phone a list's table is shown as cards (gongkai.css, .gk-cards): a row a card, each cell under its column's
// name. Scrolled sideways, a table's last columns (剩余时间, 按期办结率, 政策依据, 状态) were out of sight and its
// titles two characters a line. Only tables with one row of column headings; a row of another shape (a group's
// heading) is left as it is. Without JavaScript the table scrolls in its own box.
document.querySelectorAll("table.gk-table").forEach((table) => {
  const headings = table.tHead ? table.tHead.rows : [];
  if (headings.length !== 1 || [...headings[0].cells].some((cell) => cell.colSpan > 1 || cell.rowSpan > 1)) return;
  const names = [...headings[0].cells].map((cell) => cell.textContent.trim());
  for (const body of table.tBodies) {
    for (const row of body.rows) {
      if (row.cells.length === names.length) [...row.cells].forEach((cell, n) => { cell.dataset.label = names[n]; });
    }
  }
  table.classList.add("gk-cards");
});

// Material's menu button is a label holding only an icon: a screen reader announced a control without a name.
document.querySelectorAll('label.md-header__button[for="__drawer"]').forEach((label) => {
  label.setAttribute("aria-label", "导航菜单");
});
