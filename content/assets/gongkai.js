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
