// Filters for tables marked with a <form data-gk-filter="TABLE-ID">: without JavaScript the whole table shows.
document.querySelectorAll("form[data-gk-filter]").forEach((form) => {
  const table = document.getElementById(form.dataset.gkFilter);
  if (!table) return;
  form.hidden = false;
  const apply = () => {
    const wanted = Object.fromEntries(new FormData(form));
    for (const row of table.tBodies[0].rows) {
      row.hidden = Object.entries(wanted).some(([key, value]) => value && row.dataset[key] !== value);
    }
  };
  form.addEventListener("change", apply);
});
