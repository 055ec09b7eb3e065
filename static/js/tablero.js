/* Draws the dashboard's chart from the JSON the page carries in <script type="application/json">
   (no inline JavaScript: the Content-Security-Policy forbids it). The same figures are in the
   table next to the chart, so nothing is lost if this does not run. */
(function () {
  "use strict";

  function dibujar() {
    var fuente = document.getElementById("datos-grafico");
    var lienzo = document.getElementById("grafico-ejecucion");
    if (!fuente || !lienzo || typeof window.Chart === "undefined") {
      return;
    }
    var datos = JSON.parse(fuente.textContent);
    new window.Chart(lienzo, {
      type: "line",
      data: {
        labels: datos.meses,
        datasets: [
          {
            label: datos.etiquetas.programado,
            data: datos.programado,
            borderColor: "#0d6efd",
            backgroundColor: "#0d6efd",
            borderDash: [6, 4],
            tension: 0,
          },
          {
            label: datos.etiquetas.ejecutado,
            data: datos.ejecutado,
            borderColor: "#146c43",
            backgroundColor: "#146c43",
            tension: 0,
          },
        ],
      },
      options: {
        locale: "es-CO",
        responsive: true,
        maintainAspectRatio: false,
        interaction: { mode: "index", intersect: false },
        scales: {
          y: { beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: datos.etiquetas.eje } },
        },
        plugins: { legend: { position: "bottom" } },
      },
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", dibujar);
  } else {
    dibujar();
  }
})();
