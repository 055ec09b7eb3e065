/*
 * "Procesando" feedback for forms marked with data-procesando: on submit the
 * button is disabled (no double import), its spinner shown and its text
 * replaced by the one in data-procesando-texto, so the page says it is
 * working while the server reads a large sheet. Texts come from the template
 * (translated there).
 */
(function () {
  "use strict";

  document.querySelectorAll("form[data-procesando]").forEach(function (form) {
    form.addEventListener("submit", function () {
      var boton = form.querySelector('button[type="submit"]');
      if (!boton) {
        return;
      }
      // Disable after this event, or the browser would not send the form.
      window.setTimeout(function () {
        boton.disabled = true;
      }, 0);
      form.setAttribute("aria-busy", "true");
      var indicador = boton.querySelector("[data-procesando-indicador]");
      if (indicador) {
        indicador.classList.remove("d-none");
      }
      var texto = boton.querySelector("[data-procesando-texto]");
      if (texto) {
        texto.textContent = texto.getAttribute("data-procesando-texto");
      }
    });
  });
})();
