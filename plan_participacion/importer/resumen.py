"""What an import did (or would do), in numbers a planning officer checks against the sheet."""

from dataclasses import dataclass, field

from plan_participacion.importer.fechas import nombre_mes


@dataclass
class Resumen:
    archivo: str
    hoja: str
    municipio: str
    titulo: str
    meses: list
    lineas: int
    objetivos: int
    estrategias: int
    metas: int
    indicadores: int
    secretarias: list = field(default_factory=list)
    secretarias_nuevas: list = field(default_factory=list)
    programado_por_estrategia: list = field(default_factory=list)  # [(numero de estrategia, actividades)]
    dry_run: bool = False
    actualizado: bool = False  # the plan existed: this import is a merge (see diferencias)
    entidad: str = ""
    entidad_nueva: bool = False
    diferencias: object = None  # fusionar.Diferencias of a merge, None for a new plan

    @property
    def reemplazado(self):
        """The name this had when re-importing replaced the plan (kept for older callers)."""
        return self.actualizado

    @classmethod
    def de(cls, plan_leido, guardado, *, archivo, dry_run):
        return cls(
            archivo=archivo,
            hoja=plan_leido.hoja,
            municipio=plan_leido.municipio,
            titulo=plan_leido.titulo,
            meses=list(plan_leido.meses),
            lineas=len(plan_leido.lineas),
            objetivos=len(plan_leido.objetivos()),
            estrategias=len(plan_leido.estrategias()),
            metas=len(plan_leido.metas()),
            indicadores=len(plan_leido.indicadores()),
            secretarias=guardado.secretarias,
            secretarias_nuevas=guardado.secretarias_nuevas,
            programado_por_estrategia=[(e.numero, e.total_programado()) for e in plan_leido.estrategias()],
            dry_run=dry_run,
            actualizado=guardado.actualizado,
            entidad=str(guardado.entidad),
            entidad_nueva=guardado.entidad_nueva,
            diferencias=guardado.diferencias,
        )

    @property
    def total_programado(self):
        return sum(total for _, total in self.programado_por_estrategia)

    @property
    def mes_inicio(self):
        return self.meses[0]

    @property
    def mes_fin(self):
        return self.meses[-1]

    def como_texto(self):
        """The summary as lines of Spanish text (the command prints them, a page can list them)."""
        hoja = f" (hoja «{self.hoja}»)" if self.hoja and self.hoja != self.archivo else ""
        nuevas = len(self.secretarias_nuevas)
        entidad = f"{self.entidad} (nueva: se crea con sus secretarías)" if self.entidad_nueva else self.entidad
        lineas = [
            f"Archivo: {self.archivo}{hoja}",
            f"Entidad: {entidad}",
            f"Plan: {self.municipio} — {self.titulo}",
            f"Meses: {nombre_mes(self.mes_inicio)} a {nombre_mes(self.mes_fin)} ({len(self.meses)} meses)",
            f"Líneas de acción: {self.lineas}",
            f"Objetivos: {self.objetivos}",
            f"Estrategias: {self.estrategias}",
            f"Metas: {self.metas}",
            f"Indicadores: {self.indicadores}",
            f"Secretarías responsables: {len(self.secretarias)} ({nuevas} {'nueva' if nuevas == 1 else 'nuevas'})",
            *(f"  {nombre}" for nombre in self.secretarias),
            "Actividades programadas por estrategia:",
            *(f"  Estrategia {numero}: {total}" for numero, total in self.programado_por_estrategia),
            f"  Total: {self.total_programado}",
        ]
        if self.diferencias is not None:
            lineas.extend(self.diferencias.como_texto())
        return lineas
