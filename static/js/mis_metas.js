/*
 * Mis metas: the search box filters as one types. The server does the same on "Buscar"
 * (seguimiento/agenda_delegado.py, with the same rules), so the page works without this script:
 * a code such as "1.2" (or "1" for all of strategy 1) matches metas by code; words must all appear,
 * without minding case or accents, in the meta, its strategy or its line (data-buscar holds that
 * text, normalised by the server). Whatever does not match gets `hidden`, and so do strategies,
 * lines and sections left empty; strategies with matches open while searching. The address keeps
 * the search (?q=), so a reload shows the same.
 */
(function () {
  "use strict";

  var form = document.getElementById("buscar-metas");
  var entrada = document.getElementById("buscar-meta");
  var estado = document.getElementById("resultado-busqueda");
  if (!form || !entrada || !estado || !String.prototype.normalize) {
    return;
  }
  var CODIGO = /^\d+(\.\d+)*\.?$/;

  function clave(texto) {
    return texto
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, " ")
      .trim();
  }

  function formatear(texto, valores) {
    return String(texto || "").replace(/%\((\w+)\)s/g, function (_todo, nombre) {
      return nombre in valores ? valores[nombre] : "";
    });
  }

  function coincide(elemento, busqueda) {
    if (!busqueda.texto) {
      return true;
    }
    if (busqueda.codigo) {
      var codigo = elemento.getAttribute("data-codigo") || "";
      return codigo === busqueda.codigo || codigo.indexOf(busqueda.codigo + ".") === 0;
    }
    var texto = elemento.getAttribute("data-buscar") || "";
    return busqueda.palabras.every(function (palabra) {
      return texto.indexOf(palabra) !== -1;
    });
  }

  function hayVisible(contenedor, selector) {
    return Array.prototype.some.call(contenedor.querySelectorAll(selector), function (elemento) {
      return !elemento.hidden;
    });
  }

  function filtrar() {
    var texto = entrada.value.trim().replace(/\s+/g, " ");
    var busqueda = {
      texto: texto,
      codigo: CODIGO.test(texto) ? texto.replace(/\.$/, "") : "",
      palabras: clave(texto).split(" ").filter(Boolean),
    };
    document.querySelectorAll("[data-buscar]").forEach(function (elemento) {
      elemento.hidden = !coincide(elemento, busqueda);
    });
    document.querySelectorAll(".estrategia-del-mes").forEach(function (fila) {
      fila.hidden = !hayVisible(fila, ".meta-del-mes");
    });
    document.querySelectorAll("details.estrategia-metas").forEach(function (detalle) {
      detalle.hidden = !hayVisible(detalle, ".meta-delegado");
      // Searching opens what matches; without a search, only what the page opens by itself (data-abierta).
      detalle.open = texto ? !detalle.hidden : detalle.hasAttribute("data-abierta");
    });
    document.querySelectorAll(".linea-metas").forEach(function (linea) {
      linea.hidden = !hayVisible(linea, "details.estrategia-metas");
    });
    document.querySelectorAll(".seccion-metas").forEach(function (seccion) {
      var filas = seccion.querySelectorAll("[data-buscar]");
      seccion.hidden = Boolean(texto) && filas.length > 0 && !hayVisible(seccion, "[data-buscar]");
    });
    var metas = document.querySelectorAll(".meta-delegado");
    var vistas = Array.prototype.filter.call(metas, function (m) {
      return !m.hidden;
    }).length;
    if (!texto) {
      estado.textContent = "";
    } else if (vistas) {
      estado.textContent = formatear(form.getAttribute("data-texto-coinciden"), {
        n: vistas,
        total: metas.length,
        texto: texto,
      });
    } else {
      estado.textContent = formatear(form.getAttribute("data-texto-ninguna"), { texto: texto });
    }
    if (window.history && window.history.replaceState) {
      var direccion = new URL(window.location.href);
      if (texto) {
        direccion.searchParams.set("q", texto);
      } else {
        direccion.searchParams.delete("q");
      }
      window.history.replaceState(null, "", direccion.toString());
    }
  }

  var temporizador = null;
  entrada.addEventListener("input", function () {
    window.clearTimeout(temporizador);
    temporizador = window.setTimeout(filtrar, 150);
  });
  form.addEventListener("submit", function (evento) {
    evento.preventDefault();
    window.clearTimeout(temporizador);
    filtrar();
  });
})();
