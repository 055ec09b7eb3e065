/*
 * Pages that wait for a background job (a report being prepared, a signed archive being
 * generated) reload themselves every few seconds while it runs: an element with
 * data-recargar-cada="SECONDS" (and, optionally, data-recargar-url: the address to go to
 * instead, e.g. the job's own page from the page that asked for it). Unlike <meta http-equiv="refresh"> (WCAG 2.2.1), the
 * person can stop it: the button with data-pausar-recarga pauses and resumes. Without
 * JavaScript the page offers an «Actualizar» link instead.
 */
(function () {
  "use strict";

  var marca = document.querySelector("[data-recargar-cada]");
  if (!marca) {
    return;
  }
  var segundos = parseInt(marca.getAttribute("data-recargar-cada"), 10) || 5;
  var destino = marca.getAttribute("data-recargar-url");
  var boton = document.querySelector("[data-pausar-recarga]");
  var temporizador = null;

  function programar() {
    temporizador = window.setTimeout(function () {
      if (destino) {
        window.location.replace(destino);
      } else {
        window.location.reload();
      }
    }, segundos * 1000);
  }

  if (boton) {
    boton.hidden = false;
    boton.addEventListener("click", function () {
      if (temporizador === null) {
        programar();
        boton.textContent = boton.getAttribute("data-texto-pausar");
        boton.setAttribute("aria-pressed", "false");
      } else {
        window.clearTimeout(temporizador);
        temporizador = null;
        boton.textContent = boton.getAttribute("data-texto-reanudar");
        boton.setAttribute("aria-pressed", "true");
      }
    });
  }
  programar();
})();
