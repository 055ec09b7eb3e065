/*
 * Upload progress for forms marked with data-subida.
 *
 * When files are chosen, the form is sent with XMLHttpRequest so a Bootstrap
 * progress bar can show how much has been uploaded. The server answers
 * {"redirigir": url} on success (see seguimiento.views.evidencias.redirigir)
 * or the form page again with its errors, whose <main> replaces ours.
 * Without files, or in a browser without FormData/XMLHttpRequest upload
 * events, the form is submitted the ordinary way. Texts come from data-*
 * attributes so they are translated with the rest of the page.
 */
(function () {
  "use strict";

  function formatear(texto, valores) {
    return texto.replace(/%\((\w+)\)s/g, function (_todo, clave) {
      return clave in valores ? valores[clave] : "";
    });
  }

  function archivosElegidos(form) {
    var archivos = [];
    form.querySelectorAll('input[type="file"]').forEach(function (entrada) {
      Array.prototype.forEach.call(entrada.files || [], function (archivo) {
        archivos.push(archivo);
      });
    });
    return archivos;
  }

  function iniciar(form) {
    if (form.dataset.subidaLista) {
      return;
    }
    form.dataset.subidaLista = "1";
    var progreso = document.getElementById("progreso-subida");
    var barra = progreso ? progreso.querySelector(".progress-bar") : null;
    var estado = document.getElementById("estado-subida");
    var botones = form.querySelectorAll('button[type="submit"]');

    function avisar(texto, esError) {
      if (estado) {
        estado.textContent = texto;
        estado.classList.toggle("text-danger", Boolean(esError));
      }
    }

    function mostrarAvance(porcentaje) {
      if (!progreso || !barra) {
        return;
      }
      progreso.classList.remove("d-none");
      progreso.setAttribute("aria-valuenow", String(porcentaje));
      barra.style.width = porcentaje + "%";
      barra.textContent = porcentaje + " %";
    }

    function ocupado(si) {
      botones.forEach(function (boton) {
        boton.disabled = si;
      });
      form.setAttribute("aria-busy", si ? "true" : "false");
    }

    function fallo() {
      ocupado(false);
      if (progreso) {
        progreso.classList.add("d-none");
      }
      avisar(form.dataset.textoError, true);
    }

    function reemplazarContenido(html) {
      var nuevo = new DOMParser().parseFromString(html, "text/html");
      var principal = nuevo.getElementById("contenido");
      var actual = document.getElementById("contenido");
      if (!principal || !actual) {
        fallo();
        return;
      }
      document.title = nuevo.title;
      actual.innerHTML = principal.innerHTML;
      document.querySelectorAll("form[data-subida]").forEach(iniciar);
      var resumen = document.getElementById("resumen-errores");
      if (resumen) {
        resumen.focus();
        resumen.scrollIntoView();
      } else {
        window.scrollTo(0, 0);
      }
    }

    form.addEventListener("submit", function (evento) {
      var archivos = archivosElegidos(form);
      var maximo = parseInt(form.dataset.maxArchivo || "0", 10);
      var grande = archivos.filter(function (archivo) {
        return maximo && archivo.size > maximo;
      })[0];
      if (grande) {
        evento.preventDefault();
        avisar(formatear(form.dataset.textoGrande, { nombre: grande.name }), true);
        return;
      }
      var xhr = new XMLHttpRequest();
      if (!archivos.length || !window.FormData || !xhr.upload) {
        return;
      }
      evento.preventDefault();
      ocupado(true);
      mostrarAvance(0);
      avisar(formatear(form.dataset.textoSubiendo, { porcentaje: 0 }));

      xhr.open("POST", form.action || window.location.href);
      xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
      xhr.upload.addEventListener("progress", function (e) {
        if (e.lengthComputable) {
          var porcentaje = Math.round((100 * e.loaded) / e.total);
          mostrarAvance(porcentaje);
          avisar(formatear(form.dataset.textoSubiendo, { porcentaje: porcentaje }));
        }
      });
      xhr.upload.addEventListener("load", function () {
        mostrarAvance(100);
        avisar(form.dataset.textoProcesando);
      });
      xhr.addEventListener("load", function () {
        var tipo = xhr.getResponseHeader("Content-Type") || "";
        if (xhr.status === 200 && tipo.indexOf("application/json") === 0) {
          window.location.assign(JSON.parse(xhr.responseText).redirigir);
          return;
        }
        if (xhr.status >= 500 || tipo.indexOf("text/html") !== 0) {
          fallo();
          return;
        }
        var destino = new URL(form.action || window.location.href, window.location.href);
        if (xhr.responseURL && new URL(xhr.responseURL).pathname !== destino.pathname) {
          // Redirected elsewhere (for example to the login page): go there for real.
          window.location.assign(xhr.responseURL);
          return;
        }
        reemplazarContenido(xhr.responseText);
      });
      xhr.addEventListener("error", fallo);
      xhr.addEventListener("abort", fallo);
      xhr.send(new FormData(form));
    });
  }

  document.querySelectorAll("form[data-subida]").forEach(iniciar);
})();
