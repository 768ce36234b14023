// Shiraka's own script: no inline handlers, so the Content-Security-Policy can forbid them.
document.addEventListener("DOMContentLoaded", () => {
  const language = document.getElementById("language");
  if (language) {
    language.addEventListener("change", () => language.form.submit());
  }
});
