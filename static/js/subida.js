/*
 * Evidence files uploaded in pieces while the delegate fills in the form, resumed after a dropped
 * connection (seguimiento/views/subidas.py describes the protocol).
 *
 * Files chosen in the form's file input are taken out of it and uploaded one after another, in
 * pieces of data-trozo bytes with Content-Range. When a piece fails (no connection, a proxy
 * error), the script waits for the connection to come back (the browser's "online" event, or
 * growing pauses), asks the server how much it has, and goes on from there: nothing is sent
 * twice and nothing is lost. The server checks each complete file like any upload; then it moves
 * to "Ya adjuntos" with its "Quitar" button, and the form, when saved, only names it (the lote).
 * Saving while files are still uploading waits for them and then sends the form by itself.
 * Without this script (or without fetch and Blob.slice) the files go in the form as always.
 * Texts come from the json_script "textos-subida", translated with the page.
 */
(function () {
  "use strict";

  var form = document.querySelector("form[data-subida]");
  var fuente = document.getElementById("textos-subida");
  if (!form || !fuente || !window.fetch || !window.Blob || !Blob.prototype.slice || !window.FormData) {
    return;
  }
  var T = JSON.parse(fuente.textContent);
  var urlBase = form.getAttribute("data-subida");
  var trozo = parseInt(form.getAttribute("data-trozo"), 10) || 1048576;
  var maxArchivo = parseInt(form.getAttribute("data-max-archivo"), 10) || 0;
  var entrada = form.querySelector('input[type="file"]');
  var enCurso = document.getElementById("subidas-en-curso");
  var estado = document.getElementById("estado-subida");
  var cola = [];
  var trabajando = false;
  var fallidas = 0;
  var enviarAlTerminar = null;
  var MAX_ESPERA_MS = 15000;

  function formatear(texto, valores) {
    return String(texto || "").replace(/%\((\w+)\)s/g, function (_todo, clave) {
      return clave in valores ? valores[clave] : "";
    });
  }

  function avisar(texto, esError) {
    if (estado) {
      estado.textContent = texto;
      estado.classList.toggle("text-danger", Boolean(esError));
    }
  }

  function csrf() {
    var campo = form.querySelector('input[name="csrfmiddlewaretoken"]');
    return campo ? campo.value : "";
  }

  function lote() {
    return form.querySelector('input[name="lote"]').value;
  }

  function legible(bytes) {
    if (bytes >= 1048576) {
      return (bytes / 1048576).toFixed(1).replace(".", ",") + " MB";
    }
    return Math.max(1, Math.round(bytes / 1024)) + " KB";
  }

  // ---- "Ya adjuntos": what the server keeps for this form ----

  var lista = document.getElementById("lista-ya-adjuntos");

  function mostrarTituloAdjuntos() {
    var hay = lista && lista.children.length > 0;
    ["titulo-ya-adjuntos", "ayuda-ya-adjuntos"].forEach(function (id) {
      var elemento = document.getElementById(id);
      if (elemento) {
        elemento.hidden = !hay;
      }
    });
  }

  function agregarAdjunto(datos) {
    if (!lista || lista.querySelector('[data-token="' + datos.token + '"]')) {
      return;
    }
    var li = document.createElement("li");
    li.className = "d-flex flex-wrap align-items-center gap-2 border rounded p-2 mb-2 ya-adjunto";
    li.setAttribute("data-token", datos.token);
    var nombre = document.createElement("span");
    nombre.className = "text-break nombre-adjunto";
    nombre.textContent = datos.nombre;
    var tamano = document.createElement("span");
    tamano.className = "small text-muted";
    tamano.textContent = "(" + (datos.tamano_legible || legible(datos.tamano)) + ")";
    var boton = document.createElement("button");
    boton.type = "submit";
    boton.name = "quitar_preparado";
    boton.value = datos.token;
    boton.formNoValidate = true;
    boton.className = "btn btn-sm btn-outline-danger ms-auto quitar-adjunto";
    boton.textContent = T.quitar;
    var oculto = document.createElement("span");
    oculto.className = "visually-hidden";
    oculto.textContent = " " + datos.nombre;
    boton.appendChild(oculto);
    li.appendChild(nombre);
    li.appendChild(tamano);
    li.appendChild(boton);
    lista.appendChild(li);
    mostrarTituloAdjuntos();
  }

  if (lista) {
    lista.addEventListener("click", function (evento) {
      var boton = evento.target.closest(".quitar-adjunto");
      if (!boton) {
        return;
      }
      evento.preventDefault();
      var li = boton.closest("li");
      var nombre = li.querySelector(".nombre-adjunto").textContent;
      boton.disabled = true;
      fetch(urlBase + li.getAttribute("data-token") + "/", {
        method: "DELETE",
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrf(), Accept: "application/json" },
      })
        .then(function (respuesta) {
          if (respuesta.ok || respuesta.status === 404) {
            li.remove();
            mostrarTituloAdjuntos();
            avisar(formatear(T.quitado, { nombre: nombre }));
          } else {
            boton.disabled = false;
            avisar(T.no_se_quito, true);
          }
        })
        .catch(function () {
          boton.disabled = false;
          avisar(T.no_se_quito, true);
        });
    });
  }

  // A restored draft brings back its lote: show the files the server still keeps for it.
  form.addEventListener("borrador-restaurado", function () {
    var consulta = new URLSearchParams({ lote: lote(), formulario: form.getAttribute("data-formulario") });
    fetch(urlBase + "?" + consulta.toString(), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (respuesta) {
        return respuesta.ok ? respuesta.json() : { archivos: [] };
      })
      .then(function (datos) {
        datos.archivos.forEach(agregarAdjunto);
      })
      .catch(function () {});
  });

  // ---- uploads in pieces ----

  function Subida(archivo) {
    this.archivo = archivo;
    this.url = null;
    this.recibido = 0;
    this.espera = 1000;
    this.li = document.createElement("li");
    this.li.className = "border rounded p-2 mb-2 subida";
    var nombre = document.createElement("p");
    nombre.className = "mb-1 text-break small";
    nombre.textContent = archivo.name + " (" + legible(archivo.size) + ")";
    this.barra = document.createElement("progress");
    this.barra.className = "w-100";
    this.barra.max = archivo.size || 1;
    this.barra.value = 0;
    this.barra.setAttribute("aria-label", formatear(T.progreso, { nombre: archivo.name }));
    this.texto = document.createElement("p");
    this.texto.className = "small mb-0 text-muted estado-subida-archivo";
    this.li.appendChild(nombre);
    this.li.appendChild(this.barra);
    this.li.appendChild(this.texto);
    enCurso.appendChild(this.li);
    enCurso.classList.remove("d-none");
  }

  Subida.prototype.mostrar = function (texto, esError) {
    this.texto.textContent = texto;
    this.texto.classList.toggle("text-danger", Boolean(esError));
    this.texto.classList.toggle("text-muted", !esError);
  };

  Subida.prototype.porcentaje = function () {
    return this.archivo.size ? Math.floor((100 * this.recibido) / this.archivo.size) : 100;
  };

  function leerJSON(respuesta) {
    var tipo = respuesta.headers.get("Content-Type") || "";
    if (tipo.indexOf("application/json") !== 0) {
      return Promise.resolve({ estado: respuesta.status, datos: null, redirigida: respuesta.redirected });
    }
    return respuesta.json().then(function (datos) {
      return { estado: respuesta.status, datos: datos };
    });
  }

  function pedir(url, opciones) {
    opciones.credentials = "same-origin";
    opciones.headers = Object.assign({ "X-CSRFToken": csrf(), Accept: "application/json" }, opciones.headers || {});
    return fetch(url, opciones).then(leerJSON);
  }

  function sinConexion() {
    // A failed fetch, a proxy's error page, or a server error: try again once the connection is back.
    var error = new Error("sin conexión");
    error.reintentar = true;
    return error;
  }

  function esperarConexion(subida) {
    subida.mostrar(formatear(T.sin_conexion, { porcentaje: subida.porcentaje() }));
    avisar(formatear(T.sin_conexion_nombre, { nombre: subida.archivo.name }));
    return new Promise(function (seguir) {
      var listo = false;
      function una() {
        if (!listo) {
          listo = true;
          window.removeEventListener("online", una);
          seguir();
        }
      }
      window.addEventListener("online", una);
      var espera = subida.espera;
      subida.espera = Math.min(subida.espera * 2, MAX_ESPERA_MS);
      window.setTimeout(function () {
        if (navigator.onLine) {
          una();
        }
      }, espera);
    });
  }

  function iniciar(subida) {
    var datos = new FormData();
    datos.append("lote", lote());
    datos.append("formulario", form.getAttribute("data-formulario"));
    datos.append("nombre", subida.archivo.name);
    datos.append("tamano", String(subida.archivo.size));
    return pedir(urlBase, { method: "POST", body: datos }).then(function (r) {
      if (r.estado === 201 && r.datos) {
        subida.url = r.datos.url;
        subida.recibido = r.datos.recibido;
        return;
      }
      throw respuestaFallida(r);
    }, function () {
      throw sinConexion();
    });
  }

  function respuestaFallida(r) {
    if (r.redirigida) {
      return new Error(T.sesion);
    }
    if (r.estado >= 500 || r.estado === 0 || !r.datos) {
      return sinConexion();
    }
    return new Error(r.datos.error || T.error);
  }

  function consultar(subida) {
    return pedir(subida.url, { method: "GET" }).then(function (r) {
      if (r.estado === 200 && r.datos) {
        return r.datos;
      }
      throw respuestaFallida(r);
    }, function () {
      throw sinConexion();
    });
  }

  function terminar(subida, datos) {
    subida.li.remove();
    if (!enCurso.children.length) {
      enCurso.classList.add("d-none");
    }
    agregarAdjunto(datos);
    avisar(formatear(T.listo, { nombre: datos.nombre }));
  }

  function enviarTrozos(subida) {
    if (subida.recibido >= subida.archivo.size) {
      return consultar(subida);
    }
    var fin = Math.min(subida.recibido + trozo, subida.archivo.size);
    var rango = "bytes " + subida.recibido + "-" + (fin - 1) + "/" + subida.archivo.size;
    return pedir(subida.url, {
      method: "PUT",
      headers: { "Content-Range": rango, "Content-Type": "application/octet-stream" },
      body: subida.archivo.slice(subida.recibido, fin),
    }).then(function (r) {
      if ((r.estado === 200 || r.estado === 409 || r.estado === 422) && r.datos) {
        if (r.datos.recibido !== undefined) {
          subida.recibido = r.datos.recibido;
        }
        subida.espera = 1000;
        subida.barra.value = subida.recibido;
        subida.mostrar(formatear(T.subiendo, { porcentaje: subida.porcentaje() }));
        if (r.datos.estado && r.datos.estado !== "subiendo") {
          return r.datos;
        }
        return enviarTrozos(subida);
      }
      throw respuestaFallida(r);
    }, function () {
      throw sinConexion();
    });
  }

  function subir(subida) {
    var paso = subida.url ? consultar(subida).then(function (datos) {
      subida.recibido = datos.recibido;
      return datos.estado === "subiendo" ? enviarTrozos(subida) : datos;
    }) : iniciar(subida).then(function () {
      return enviarTrozos(subida);
    });
    return paso.then(function (datos) {
      if (datos.estado === "revisando") {
        subida.mostrar(T.revisando);
        return new Promise(function (seguir) {
          window.setTimeout(seguir, 1000);
        }).then(function () {
          return subir(subida);
        });
      }
      if (datos.estado === "listo") {
        terminar(subida, datos);
        return;
      }
      throw new Error(datos.error || T.error);
    }).catch(function (error) {
      if (error.reintentar) {
        return esperarConexion(subida).then(function () {
          subida.mostrar(formatear(T.reanudando, { porcentaje: subida.porcentaje() }));
          return subir(subida);
        });
      }
      fallidas += 1;
      subida.barra.remove();
      subida.mostrar(error.message, true);
      avisar(error.message, true);
      if (subida.url) {
        pedir(subida.url, { method: "DELETE" }).catch(function () {});
      }
    });
  }

  function siguiente() {
    if (trabajando) {
      return;
    }
    var subida = cola.shift();
    if (!subida) {
      if (enviarAlTerminar && !fallidas) {
        var boton = enviarAlTerminar;
        enviarAlTerminar = null;
        form.requestSubmit(boton);
      } else if (enviarAlTerminar) {
        enviarAlTerminar = null;
        avisar(T.no_enviado, true);
      }
      return;
    }
    trabajando = true;
    subida.mostrar(formatear(T.subiendo, { porcentaje: 0 }));
    subir(subida).then(function () {
      trabajando = false;
      siguiente();
    });
  }

  if (entrada) {
    entrada.addEventListener("change", function () {
      var archivos = Array.prototype.slice.call(entrada.files || []);
      // The files travel in pieces: the form itself no longer carries them.
      entrada.value = "";
      fallidas = 0;
      archivos.forEach(function (archivo) {
        if (maxArchivo && archivo.size > maxArchivo) {
          var grande = new Subida(archivo);
          grande.barra.remove();
          grande.mostrar(formatear(T.grande, { nombre: archivo.name, maximo: legible(maxArchivo) }), true);
          fallidas += 1;
          return;
        }
        cola.push(new Subida(archivo));
      });
      siguiente();
    });
  }

  form.addEventListener("submit", function (evento) {
    if (!trabajando && !cola.length) {
      return;
    }
    evento.preventDefault();
    enviarAlTerminar = evento.submitter && evento.submitter.name !== "quitar_preparado" ? evento.submitter : null;
    if (enviarAlTerminar) {
      avisar(T.esperando);
    }
  });
})();
