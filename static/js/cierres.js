/*
 * While a closing's signed archive is being generated (an element with
 * data-estado-url), ask the server every few seconds and reload the page once
 * it is no longer "generando", so the coordinator sees the documents (or the
 * error) without reloading by hand.
 */
(function () {
  "use strict";

  var pendientes = document.querySelectorAll("[data-estado-url]");
  if (!pendientes.length || !window.fetch) {
    return;
  }
  var url = pendientes[0].getAttribute("data-estado-url");
  var ESPERA_MS = 3000;

  function consultar() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (respuesta) {
        return respuesta.ok ? respuesta.json() : { generando: true };
      })
      .then(function (datos) {
        if (datos.generando) {
          window.setTimeout(consultar, ESPERA_MS);
        } else {
          window.location.reload();
        }
      })
      .catch(function () {
        window.setTimeout(consultar, ESPERA_MS * 3);
      });
  }

  window.setTimeout(consultar, ESPERA_MS);
})();
