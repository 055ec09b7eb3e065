/*
 * Django's admin, as axe-core checks it (seguimiento/tests/test_accesibilidad.py):
 * - a group of inline rows that scrolls sideways can be reached and scrolled with the keyboard
 *   (only the groups that do overflow get a tab stop);
 * - the fields of tabular inlines and of editable lists (programación mensual of a strategy,
 *   grupos de valor) have no <label>: they are named after their column and their row;
 * - the help icons of the two-list selector (responsables) carry an aria-label: they are images.
 */
(function () {
  "use strict";

  function regionesDesplazables() {
    document.querySelectorAll(".inline-group").forEach(function (grupo) {
      if (grupo.scrollWidth > grupo.clientWidth && !grupo.hasAttribute("tabindex")) {
        grupo.setAttribute("tabindex", "0");
        grupo.setAttribute("role", "region");
        var titulo = grupo.querySelector("h2");
        if (titulo) {
          grupo.setAttribute("aria-label", titulo.textContent.trim());
        }
      }
    });
  }

  function texto(elemento) {
    return elemento ? elemento.textContent.replace(/\s+/g, " ").trim() : "";
  }

  function camposDeTablas() {
    document.querySelectorAll("table").forEach(function (tabla) {
      var encabezados = Array.prototype.map.call(tabla.querySelectorAll("thead th"), texto);
      tabla.querySelectorAll("tbody tr").forEach(function (fila, numero) {
        Array.prototype.forEach.call(fila.cells, function (celda, columna) {
          celda.querySelectorAll("input:not([type=hidden]), select, textarea").forEach(function (campo) {
            var etiquetado = campo.labels && campo.labels.length;
            if (etiquetado || campo.getAttribute("aria-label")) {
              return;
            }
            var nombre = encabezados[columna] || campo.name;
            var primera = fila.cells[0] && fila.cells[0] !== celda ? texto(fila.cells[0]) : "";
            campo.setAttribute("aria-label", nombre + " · " + (primera || "#" + (numero + 1)));
          });
        });
      });
    });
  }

  function iconosDeAyuda() {
    document.querySelectorAll("span[aria-label]:not([role])").forEach(function (icono) {
      icono.setAttribute("role", "img");
    });
  }

  function preparar() {
    regionesDesplazables();
    camposDeTablas();
    iconosDeAyuda();
  }

  // The selector of responsables is drawn by Django's script on load: after it.
  window.addEventListener("load", function () {
    preparar();
    window.setTimeout(preparar, 0);
  });
  window.addEventListener("resize", regionesDesplazables);
  document.addEventListener("formset:added", camposDeTablas);
})();
