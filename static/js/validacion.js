/*
 * The browser's checks, in Spanish and in the page, whatever the browser's language.
 *
 * Every form is rendered with `novalidate`: without this script the server checks
 * everything and answers with its own messages. With it, a form is checked
 * before it is sent (required fields, numbers and their limits, lengths, the
 * dd/mm/aaaa pattern of date fields and their data-min / data-max) and each
 * problem is written under its field like the server's messages (Bootstrap's
 * is-invalid + invalid-feedback, tied with aria-describedby), the first one
 * focused. Never a bubble in the browser's language. Texts come from the
 * json_script "mensajes-validacion" (translated with the rest of the page).
 * A field typed as ddmmaaaa (a phone's keyboard has no "/") becomes dd/mm/aaaa.
 */
(function () {
  "use strict";

  var fuente = document.getElementById("mensajes-validacion");
  var M = fuente ? JSON.parse(fuente.textContent) : {};
  var SUFIJO = "-error-cliente";

  function formatear(texto, valores) {
    return String(texto || "").replace(/%\((\w+)\)s/g, function (_todo, clave) {
      return clave in valores ? valores[clave] : "";
    });
  }

  function leerFecha(texto) {
    var limpio = String(texto || "").trim();
    var partes = /^(\d{1,2})[\/.\-](\d{1,2})[\/.\-](\d{4})$/.exec(limpio) || /^(\d{2})(\d{2})(\d{4})$/.exec(limpio);
    var dia, mes, anio;
    if (partes) {
      dia = +partes[1];
      mes = +partes[2];
      anio = +partes[3];
    } else if ((partes = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(limpio))) {
      anio = +partes[1];
      mes = +partes[2];
      dia = +partes[3];
    } else {
      return null;
    }
    var fecha = new Date(anio, mes - 1, dia);
    if (fecha.getFullYear() !== anio || fecha.getMonth() !== mes - 1 || fecha.getDate() !== dia) {
      return undefined; // written right, but no such day
    }
    return fecha;
  }

  function comprobarFecha(campo) {
    if (!campo.hasAttribute("data-fecha")) {
      return;
    }
    campo.setCustomValidity("");
    if (!campo.value.trim() || campo.validity.patternMismatch) {
      return;
    }
    var fecha = leerFecha(campo.value);
    if (fecha === undefined) {
      campo.setCustomValidity(formatear(M.dia_inexistente, { texto: campo.value.trim() }));
      return;
    }
    var minimo = leerFecha(campo.getAttribute("data-min"));
    var maximo = leerFecha(campo.getAttribute("data-max"));
    if (fecha && minimo && fecha < minimo) {
      campo.setCustomValidity(formatear(M.fecha_minima, { fecha: campo.getAttribute("data-min") }));
    } else if (fecha && maximo && fecha > maximo) {
      campo.setCustomValidity(formatear(M.fecha_maxima, { fecha: campo.getAttribute("data-max") }));
    }
  }

  function mensaje(campo) {
    var v = campo.validity;
    if (v.customError) {
      return campo.validationMessage;
    }
    if (v.valueMissing) {
      if (campo.type === "checkbox") {
        return M.marcar;
      }
      if (campo.type === "radio" || campo.tagName === "SELECT") {
        return M.elegir;
      }
      if (campo.type === "file") {
        return M.archivo;
      }
      return M.requerido;
    }
    if (v.badInput) {
      return M.numero;
    }
    if (v.typeMismatch) {
      return campo.type === "email" ? M.correo : M.url;
    }
    if (v.patternMismatch) {
      return campo.getAttribute("data-mensaje-patron") || M.patron;
    }
    if (v.rangeUnderflow) {
      return formatear(M.minimo, { minimo: campo.min });
    }
    if (v.rangeOverflow) {
      return formatear(M.maximo, { maximo: campo.max });
    }
    if (v.stepMismatch) {
      return M.entero;
    }
    if (v.tooLong) {
      return formatear(M.largo, { maximo: campo.maxLength, n: campo.value.length });
    }
    if (v.tooShort) {
      return formatear(M.corto, { minimo: campo.minLength, n: campo.value.length });
    }
    return M.revisar;
  }

  function lugar(campo) {
    // After the group of a checkbox or radio list, after an input group, else right after the field.
    var grupo = campo.closest(".input-group") || (/checkbox|radio/.test(campo.type) && campo.closest("fieldset, [role=group], .mb-3"));
    return grupo || campo;
  }

  function describir(campo, id, poner) {
    var ids = (campo.getAttribute("aria-describedby") || "").split(/\s+/).filter(function (x) {
      return x && x !== id;
    });
    if (poner) {
      ids.unshift(id);
    }
    if (ids.length) {
      campo.setAttribute("aria-describedby", ids.join(" "));
    } else {
      campo.removeAttribute("aria-describedby");
    }
  }

  function marcar(campo, texto) {
    var id = (campo.id || campo.name) + SUFIJO;
    var aviso = document.getElementById(id);
    if (!aviso) {
      aviso = document.createElement("div");
      aviso.id = id;
      aviso.className = "invalid-feedback d-block";
      lugar(campo).insertAdjacentElement("afterend", aviso);
    }
    aviso.textContent = texto;
    campo.classList.add("is-invalid");
    campo.setAttribute("aria-invalid", "true");
    describir(campo, id, true);
  }

  function desmarcar(campo) {
    var id = (campo.id || campo.name) + SUFIJO;
    var aviso = document.getElementById(id);
    if (!aviso) {
      return;
    }
    aviso.remove();
    campo.classList.remove("is-invalid");
    campo.removeAttribute("aria-invalid");
    describir(campo, id, false);
  }

  function normalizarFecha(campo) {
    var ocho = /^\s*(\d{2})(\d{2})(\d{4})\s*$/.exec(campo.value);
    if (ocho) {
      campo.value = ocho[1] + "/" + ocho[2] + "/" + ocho[3];
    }
  }

  document.addEventListener(
    "submit",
    function (evento) {
      var form = evento.target;
      if (!(form instanceof HTMLFormElement) || form.hasAttribute("data-sin-validar")) {
        return;
      }
      var invalidos = [];
      Array.prototype.forEach.call(form.elements, function (campo) {
        if (!campo.willValidate) {
          return;
        }
        if (campo.hasAttribute("data-fecha")) {
          normalizarFecha(campo);
        }
        comprobarFecha(campo);
        if (campo.checkValidity()) {
          desmarcar(campo);
        } else {
          marcar(campo, mensaje(campo));
          invalidos.push(campo);
        }
      });
      if (invalidos.length) {
        // Before the form's own listeners (the upload script): nothing is sent.
        evento.preventDefault();
        evento.stopImmediatePropagation();
        invalidos[0].focus();
      }
    },
    true
  );

  function revisarDeNuevo(evento) {
    var campo = evento.target;
    if (!campo || !campo.willValidate || !document.getElementById((campo.id || campo.name) + SUFIJO)) {
      return;
    }
    comprobarFecha(campo);
    if (campo.checkValidity()) {
      desmarcar(campo);
    }
  }
  document.addEventListener("input", revisarDeNuevo);
  document.addEventListener("change", revisarDeNuevo);
  document.addEventListener(
    "blur",
    function (evento) {
      if (evento.target && evento.target.hasAttribute && evento.target.hasAttribute("data-fecha")) {
        normalizarFecha(evento.target);
      }
    },
    true
  );
})();
