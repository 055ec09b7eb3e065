/*
 * What a delegate types in a form marked data-borrador="<form>" is kept in this browser
 * (localStorage, per user and form: key "participacion:borrador:<user id>:<form>") until the
 * server confirms it saved it. After a reload, a crash or a lost connection, the form offers to
 * bring it back. Text only: never files (those are kept by the server, seguimiento.preparados;
 * the form's "lote" is kept so they come back with it), never passwords nor the CSRF token.
 *
 * The copy goes when the server says it saved the form (the next page's
 * data-borradores-guardados), when the person discards it, and on "Cerrar sesión" (all of that
 * user's copies: the next person at a shared computer must not find them).
 */
(function () {
  "use strict";

  var PREFIJO = "participacion:borrador:";
  var cuerpo = document.body;
  var usuario = cuerpo.getAttribute("data-usuario");
  var almacen;
  try {
    almacen = window.localStorage;
    almacen.getItem(PREFIJO);
  } catch (_error) {
    return; // storage disabled (private mode in some browsers): forms work as always
  }
  if (!usuario) {
    return;
  }
  var raiz = PREFIJO + usuario + ":";

  (cuerpo.getAttribute("data-borradores-guardados") || "").split(/\s+/).forEach(function (clave) {
    if (clave) {
      almacen.removeItem(raiz + clave);
    }
  });

  var saliendo = false;
  document.querySelectorAll("form[data-cerrar-sesion]").forEach(function (salir) {
    salir.addEventListener("submit", function () {
      saliendo = true; // a copy pending from the last keystroke must not be written back on the way out
      for (var i = almacen.length - 1; i >= 0; i -= 1) {
        var clave = almacen.key(i);
        if (clave && clave.indexOf(raiz) === 0) {
          almacen.removeItem(clave);
        }
      }
    });
  });

  var form = document.querySelector("form[data-borrador]");
  if (!form) {
    return;
  }
  var clave = raiz + form.getAttribute("data-borrador");

  function guardable(campo) {
    if (!campo.name || campo.disabled) {
      return false;
    }
    if (campo.type === "hidden") {
      return campo.name === "lote";
    }
    return ["file", "password", "submit", "button", "reset", "image"].indexOf(campo.type) === -1;
  }

  function leer() {
    var campos = {};
    Array.prototype.forEach.call(form.elements, function (campo) {
      if (!guardable(campo)) {
        return;
      }
      var valores = campos[campo.name] || (campos[campo.name] = []);
      if (campo.type === "checkbox" || campo.type === "radio") {
        if (campo.checked) {
          valores.push(campo.value);
        }
      } else if (campo.tagName === "SELECT" && campo.multiple) {
        Array.prototype.forEach.call(campo.selectedOptions, function (opcion) {
          valores.push(opcion.value);
        });
      } else {
        valores.push(campo.value);
      }
    });
    return campos;
  }

  function escribir(campos) {
    var vistos = {};
    Array.prototype.forEach.call(form.elements, function (campo) {
      if (!guardable(campo) || !(campo.name in campos)) {
        return;
      }
      var valores = campos[campo.name];
      if (campo.type === "checkbox" || campo.type === "radio") {
        campo.checked = valores.indexOf(campo.value) !== -1;
      } else if (campo.tagName === "SELECT" && campo.multiple) {
        Array.prototype.forEach.call(campo.options, function (opcion) {
          opcion.selected = valores.indexOf(opcion.value) !== -1;
        });
      } else {
        var indice = vistos[campo.name] || 0;
        vistos[campo.name] = indice + 1;
        if (indice < valores.length) {
          campo.value = valores[indice];
        }
      }
    });
  }

  function iguales(a, b) {
    // The lote does not count: a new page has a new one, and that alone is nothing to restore.
    var claves = Object.keys(a).concat(Object.keys(b)).filter(function (nombre) {
      return nombre !== "lote";
    });
    return claves.every(function (nombre) {
      return JSON.stringify(a[nombre] || []) === JSON.stringify(b[nombre] || []);
    });
  }

  var guardado = null;
  try {
    guardado = JSON.parse(almacen.getItem(clave) || "null");
  } catch (_error) {
    guardado = null;
  }
  var oferta = document.getElementById("oferta-borrador");
  var pendiente = Boolean(oferta && guardado && guardado.campos && !iguales(guardado.campos, leer()));

  var temporizador = null;
  function guardarAhora() {
    temporizador = null;
    if (pendiente || saliendo) {
      return; // the person has not said yet what to do with the earlier copy: keep it untouched
    }
    try {
      almacen.setItem(clave, JSON.stringify({ guardado: Date.now(), campos: leer() }));
    } catch (_error) {
      // full or refused: nothing else to do
    }
  }
  function guardarLuego() {
    window.clearTimeout(temporizador);
    temporizador = window.setTimeout(guardarAhora, 300);
  }
  form.addEventListener("input", guardarLuego);
  form.addEventListener("change", guardarLuego);
  form.addEventListener("submit", guardarAhora);
  window.addEventListener("pagehide", function () {
    if (temporizador) {
      guardarAhora();
    }
  });

  function cerrarOferta() {
    pendiente = false;
    oferta.classList.add("d-none");
  }

  if (pendiente && oferta) {
    var fecha = new Date(guardado.guardado);
    var dos = function (n) {
      return (n < 10 ? "0" : "") + n;
    };
    var texto = oferta.querySelector("[data-texto]");
    texto.textContent = texto
      .getAttribute("data-texto")
      .replace("%(fecha)s", dos(fecha.getDate()) + "/" + dos(fecha.getMonth() + 1) + "/" + fecha.getFullYear())
      .replace("%(hora)s", dos(fecha.getHours()) + ":" + dos(fecha.getMinutes()));
    oferta.classList.remove("d-none");
    document.getElementById("restaurar-borrador").addEventListener("click", function () {
      escribir(guardado.campos);
      cerrarOferta();
      guardarAhora();
      form.dispatchEvent(new CustomEvent("borrador-restaurado"));
      var primero = form.querySelector("select, input:not([type=hidden]), textarea");
      if (primero) {
        primero.focus();
      }
    });
    document.getElementById("descartar-borrador").addEventListener("click", function () {
      almacen.removeItem(clave);
      cerrarOferta();
    });
  }
})();
