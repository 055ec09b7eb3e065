"""Re-importing a plan that exists: a merge, recorded as the list of changes it makes.

Nothing is replaced wholesale. Lines and objectives are matched by their number, strategies by
theirs, metas by their code within the strategy, indicators by their code within the meta,
the schedule by month. Then:
- what the sheet adds is created, what it changes is updated (text, targets, responsables,
  months), each with its history row (reason ediciones.motivo(), the importing user);
- what the sheet no longer has is deleted, except a meta with evidence: it is kept, flagged
  Meta.fuera_de_la_hoja and reported, and so are the strategy, objective and line that hold it.
  Evidence is never deleted (Evidencia.meta is PROTECT besides);
- targets (cantidad, periodicidad, "de cada secretaría") and responsables that someone edited
  in the app since the import (ediciones.py) are kept, and reported, unless usar_hoja.

The caller runs it inside the import's transaction with the plan row locked; a dry run rolls
it back, so the preview lists exactly what confirming would do.
"""

from collections import defaultdict, deque
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils.timezone import localtime
from simple_history.utils import bulk_update_with_history

from plan_participacion.importer.ediciones import CAMPOS_META, ediciones_de_metas, ediciones_de_responsables
from plan_participacion.importer.fechas import abreviatura_mes
from plan_participacion.importer.guardar import (
    CAMPOS_DEL_PLAN,
    campos_estrategia,
    con_historial,
    crear_estrategias,
    crear_indicadores,
    crear_metas,
    historial_estrategias,
)
from plan_participacion.models import (
    Estrategia,
    Indicador,
    LineaAccion,
    Meta,
    Objetivo,
    ProgramacionMensual,
    Secretaria,
)

AGREGADA, CAMBIADA, RETIRADA, CONSERVADA = "agregada", "cambiada", "retirada", "conservada"
NIVELES = {
    "plan": "Plan",
    "linea": "Líneas de acción",
    "objetivo": "Objetivos",
    "estrategia": "Estrategias",
    "meta": "Metas",
    "indicador": "Indicadores",
}
ACCIONES = {AGREGADA: "agregada", CAMBIADA: "cambiada", RETIRADA: "retirada", CONSERVADA: "conservada"}
PLURAL = {AGREGADA: "agregadas", CAMBIADA: "cambiadas", RETIRADA: "retiradas", CONSERVADA: "conservadas"}
ETIQUETAS_META = {
    "texto": "texto",
    "cantidad_objetivo": "cantidad objetivo",
    "periodicidad": "periodicidad",
    "por_secretaria": "de cada secretaría",
}
CAMPOS_ESTRATEGIA = {
    "texto": "texto",
    "medios_verificacion": "medios de verificación",
    "fortalezas": "fortalezas",
    "debilidades": "debilidades",
}
LARGO = 70
# Rows per UPDATE of a bulk_update: one CASE per field and row, so big batches get slow on SQLite.
BLOQUE = 500


@dataclass
class Cambio:
    nivel: str  # a key of NIVELES
    accion: str  # AGREGADA, CAMBIADA, RETIRADA or CONSERVADA (not in the sheet, kept for its evidence)
    objeto: str  # "Meta 1.2"
    detalles: list = field(default_factory=list)  # "cantidad objetivo: 1 → 3"

    @property
    def accion_legible(self):
        return ACCIONES[self.accion]

    def __str__(self):
        detalle = f": {'; '.join(self.detalles)}" if self.detalles else ""
        return f"{self.objeto} {self.accion_legible}{detalle}"


@dataclass
class Diferencias:
    """What a re-import changes in the plan, and what it keeps and why (avisos)."""

    cambios: list = field(default_factory=list)
    avisos: list = field(default_factory=list)  # [str]
    conservados_de_la_app: int = 0  # values edited in the app and kept (usar_hoja would take the sheet's)

    @property
    def vacia(self):
        return not self.cambios

    def de(self, nivel, accion=None):
        return [c for c in self.cambios if c.nivel == nivel and (accion is None or c.accion == accion)]

    def secciones(self):
        """[(title, counts text, [Cambio])] per level with changes, in the order of the plan."""
        return [(titulo, self.conteo(nivel), self.de(nivel)) for nivel, titulo in NIVELES.items() if self.de(nivel)]

    def conteo(self, nivel):
        partes = []
        for accion in (AGREGADA, CAMBIADA, RETIRADA, CONSERVADA):
            n = len(self.de(nivel, accion))
            if n:
                partes.append(f"{n} {ACCIONES[accion] if n == 1 else PLURAL[accion]}")
        return ", ".join(partes)

    def como_texto(self):
        if self.vacia:
            lineas = ["Sin cambios: la hoja coincide con el plan guardado."]
        else:
            lineas = ["Cambios frente al plan guardado:"]
            for titulo, conteo, cambios in self.secciones():
                lineas.append(f"  {titulo}: {conteo}")
                lineas.extend(f"    - {cambio}" for cambio in cambios)
        if self.avisos:
            lineas.append(f"Avisos de la reimportación ({len(self.avisos)}):")
            lineas.extend(f"  - {aviso}" for aviso in self.avisos)
        return lineas


def resumir(antes, despues):
    """ "«… para la promoción …» → «… para el fomento …»": the part that differs, with some context."""
    antes, despues = antes or "", despues or ""
    inicio = 0
    while inicio < min(len(antes), len(despues)) and antes[inicio] == despues[inicio]:
        inicio += 1
    fin = 0
    while fin < min(len(antes), len(despues)) - inicio and antes[-1 - fin] == despues[-1 - fin]:
        fin += 1
    desde = max(0, inicio - 20)

    def trozo(texto):
        parte = texto[desde : len(texto) - max(0, fin - 20)]
        if len(parte) > LARGO:
            parte = parte[:LARGO] + "…"
        prefijo = "…" if desde else ""
        sufijo = "…" if fin > 20 else ""
        return f"«{prefijo}{parte}{sufijo}»" if texto else "(vacío)"

    return f"{trozo(antes)} → {trozo(despues)}"


def fusionar(plan, plan_leido, secretarias, *, usar_hoja=False, usuario=None, archivo_origen="", motivo=None):
    """Apply plan_leido to plan (already locked); returns the Diferencias."""
    return _Fusion(plan, plan_leido, secretarias, usar_hoja, usuario, archivo_origen, motivo).ejecutar()


class _Fusion:
    def __init__(self, plan, plan_leido, secretarias, usar_hoja, usuario, archivo_origen, motivo):
        self.plan, self.leido, self.secretarias = plan, plan_leido, secretarias
        self.usar_hoja, self.usuario, self.archivo_origen, self.motivo = usar_hoja, usuario, archivo_origen, motivo
        self.diferencias = Diferencias()
        # Writes gathered while comparing, made in a few bulk statements by escribir().
        self.metas_nuevas, self.metas_cambiadas = [], []  # [(Estrategia, MetaLeida)], [Meta]
        self.campos_meta = set()  # fields changed in some meta: bulk_update writes only those
        self.indicadores_nuevos, self.indicadores_cambiados = [], []  # [(Meta, IndicadorLeido)], [Indicador]
        self.programacion_nueva, self.programacion_cambiada = [], []  # [ProgramacionMensual]

    # ---- bookkeeping ----

    def cambio(self, nivel, accion, objeto, detalles=()):
        self.diferencias.cambios.append(Cambio(nivel, accion, objeto, list(detalles)))

    def aviso(self, texto):
        self.diferencias.avisos.append(texto)

    def guardar(self, objeto):
        objeto._history_user = self.usuario
        objeto._change_reason = self.motivo
        objeto.save()

    def borrar(self, objeto):
        objeto._history_user = self.usuario
        objeto._change_reason = self.motivo
        objeto.delete()

    def nombres(self, ids):
        return sorted(self.nombre_secretaria[i] for i in ids)

    # ---- the whole plan ----

    def ejecutar(self):
        self.cargar()
        self.fusionar_plan()
        for linea_leida in self.leido.lineas:
            self.fusionar_linea(linea_leida)
        self.fusionar_estrategias()
        self.retirar_estrategias()
        self.escribir()
        self.retirar_vacios()
        return self.diferencias

    def escribir(self):
        """The creations and updates gathered while comparing, each kind in bulk with its history rows."""
        historia = {"default_user": self.usuario, "default_change_reason": self.motivo, "batch_size": BLOQUE}
        crear_metas(self.metas_nuevas, self.usuario, self.motivo)
        crear_indicadores(self.indicadores_nuevos, self.usuario, self.motivo)
        con_historial(self.programacion_nueva, ProgramacionMensual, self.usuario, self.motivo)
        for objetos, modelo, campos in [
            (self.metas_cambiadas, Meta, sorted(self.campos_meta)),
            (self.indicadores_cambiados, Indicador, ["texto"]),
            (self.programacion_cambiada, ProgramacionMensual, ["cantidad"]),
        ]:
            if objetos:
                bulk_update_with_history(objetos, modelo, campos, **historia)

    def cargar(self):
        """The plan as stored, in a fixed number of queries."""
        plan = self.plan
        self.lineas = {linea.numero: linea for linea in LineaAccion.objects.filter(plan=plan)}
        self.objetivos = {
            (o.linea.numero, o.numero): o for o in Objetivo.objects.filter(linea__plan=plan).select_related("linea")
        }
        self.estrategias = defaultdict(deque)
        estrategias = list(Estrategia.objects.del_plan(plan).order_by("numero", "pk"))
        for estrategia in estrategias:
            self.estrategias[estrategia.numero].append(estrategia)
        Responsable = Estrategia.responsables.through
        responsables = defaultdict(set)
        del_plan = Responsable.objects.filter(estrategia__objetivo__linea__plan=plan)
        for estrategia_id, secretaria_id in del_plan.values_list("estrategia_id", "secretaria_id"):
            responsables[estrategia_id].add(secretaria_id)
        self.responsables = {e.pk: frozenset(responsables[e.pk]) for e in estrategias}
        ids = {i for grupo in self.responsables.values() for i in grupo} | {s.pk for s in self.secretarias.values()}
        self.nombre_secretaria = dict(Secretaria.objects.filter(pk__in=ids).values_list("pk", "nombre"))
        self.programacion = defaultdict(dict)
        for p in ProgramacionMensual.objects.filter(estrategia__objetivo__linea__plan=plan):
            self.programacion[p.estrategia_id][p.mes] = p
        metas = list(Meta.objects.del_plan(plan))
        self.metas = defaultdict(dict)
        for meta in metas:
            self.metas[meta.estrategia_id][meta.codigo] = meta
        self.indicadores = defaultdict(dict)
        for indicador in Indicador.objects.filter(meta__estrategia__objetivo__linea__plan=plan):
            self.indicadores[indicador.meta_id][indicador.codigo] = indicador
        self.evidencias = dict(
            Meta.objects.del_plan(plan)
            .filter(evidencias__isnull=False)
            .annotate(n=Count("evidencias"))
            .values_list("pk", "n")
        )
        self.ediciones_metas = ediciones_de_metas(metas)
        self.ediciones_responsables = ediciones_de_responsables(self.responsables)
        self.pendientes = []  # (Estrategia, EstrategiaLeida, Objetivo) matched, merged after the tree

    def fusionar_plan(self):
        detalles = []
        for campo in CAMPOS_DEL_PLAN:
            antes, despues = getattr(self.plan, campo), getattr(self.leido, campo)
            if antes != despues:
                etiqueta = self.plan._meta.get_field(campo).verbose_name
                detalles.append(f"{etiqueta}: {resumir(str(antes or ''), str(despues or ''))}")
                setattr(self.plan, campo, despues)
        if detalles:
            self.cambio("plan", CAMBIADA, str(self.plan), detalles)
        if detalles or self.plan.archivo_origen != self.archivo_origen[:255]:
            self.plan.archivo_origen = self.archivo_origen[:255]
            self.guardar(self.plan)

    # ---- lines and objectives ----

    def fusionar_linea(self, leida):
        linea = self.lineas.pop(leida.numero, None)
        if linea is None:
            linea = LineaAccion(plan=self.plan, numero=leida.numero, nombre=leida.nombre)
            self.guardar(linea)
            self.cambio("linea", AGREGADA, f"Línea {leida.numero}", [f"«{leida.nombre[:LARGO]}»"])
        elif linea.nombre != leida.nombre:
            self.cambio("linea", CAMBIADA, f"Línea {leida.numero}", [f"nombre: {resumir(linea.nombre, leida.nombre)}"])
            linea.nombre = leida.nombre
            self.guardar(linea)
        for objetivo_leido in leida.objetivos:
            objetivo = self.fusionar_objetivo(linea, objetivo_leido)
            for estrategia_leida in objetivo_leido.estrategias:
                existentes = self.estrategias.get(estrategia_leida.numero)
                estrategia = existentes.popleft() if existentes else None
                self.pendientes.append((estrategia, estrategia_leida, objetivo))

    def fusionar_objetivo(self, linea, leido):
        objetivo = self.objetivos.pop((linea.numero, leido.numero), None)
        nombre = f"Objetivo {linea.numero}.{leido.numero}"
        if objetivo is None:
            objetivo = Objetivo(linea=linea, numero=leido.numero, texto=leido.texto)
            self.guardar(objetivo)
            self.cambio("objetivo", AGREGADA, nombre, [f"«{leido.texto[:LARGO]}»"])
        elif objetivo.texto != leido.texto:
            self.cambio("objetivo", CAMBIADA, nombre, [f"texto: {resumir(objetivo.texto, leido.texto)}"])
            objetivo.texto = leido.texto
            self.guardar(objetivo)
        return objetivo

    def retirar_vacios(self):
        """Objectives and lines the sheet dropped: deleted when empty, kept when they hold a kept strategy."""
        for (numero_linea, numero), objetivo in sorted(self.objetivos.items()):
            nombre = f"Objetivo {numero_linea}.{numero}"
            if objetivo.estrategias.exists():
                self.cambio("objetivo", CONSERVADA, nombre, ["contiene estrategias con evidencias"])
            else:
                self.borrar(objetivo)
                self.cambio("objetivo", RETIRADA, nombre, [f"«{objetivo.texto[:LARGO]}»"])
        for numero, linea in sorted(self.lineas.items()):
            if linea.objetivos.exists():
                self.cambio("linea", CONSERVADA, f"Línea {numero}", ["contiene estrategias con evidencias"])
            else:
                self.borrar(linea)
                self.cambio("linea", RETIRADA, f"Línea {numero}", [f"«{linea.nombre[:LARGO]}»"])

    # ---- strategies, their responsables and schedule ----

    def fusionar_estrategias(self):
        nuevas = [(objetivo, leida) for estrategia, leida, objetivo in self.pendientes if estrategia is None]
        if nuevas:
            crear_estrategias(nuevas, self.secretarias, usuario=self.usuario, motivo=self.motivo)
            for _, leida in nuevas:
                metas = ", ".join(m.codigo for m in leida.metas) or "sin metas"
                self.cambio("estrategia", AGREGADA, f"Estrategia {leida.numero}", [f"metas {metas}"])
                for meta in leida.metas:
                    self.meta_agregada(meta)
        cambiadas = []
        for estrategia, leida, objetivo in self.pendientes:
            if estrategia is None:
                continue
            if self.fusionar_estrategia(estrategia, leida, objetivo):
                cambiadas.append(estrategia)
            self.fusionar_metas(estrategia, leida)
        if cambiadas:
            Estrategia.objects.bulk_update(cambiadas, ["objetivo", *CAMPOS_ESTRATEGIA])
            Responsable = Estrategia.responsables.through
            historial_estrategias(
                cambiadas,
                list(Responsable.objects.filter(estrategia__in=cambiadas)),
                usuario=self.usuario,
                motivo=self.motivo,
                cambio=True,
            )

    def fusionar_estrategia(self, estrategia, leida, objetivo):
        """Update one matched strategy in memory (saved in bulk by the caller); True when it changed."""
        detalles = []
        if estrategia.objetivo_id != objetivo.pk:
            detalles.append(f"pasa al objetivo {objetivo.linea.numero}.{objetivo.numero}")
            estrategia.objetivo = objetivo
        for campo, valor in campos_estrategia(leida).items():
            if campo in CAMPOS_ESTRATEGIA and getattr(estrategia, campo) != valor:
                detalles.append(f"{CAMPOS_ESTRATEGIA[campo]}: {resumir(getattr(estrategia, campo), valor)}")
                setattr(estrategia, campo, valor)
        cambio_responsables = self.fusionar_responsables(estrategia, leida, detalles)
        self.fusionar_programacion(estrategia, leida, detalles)
        if detalles:
            self.cambio("estrategia", CAMBIADA, f"Estrategia {leida.numero}", detalles)
        return bool(detalles) or cambio_responsables

    def fusionar_responsables(self, estrategia, leida, detalles):
        actuales = self.responsables[estrategia.pk]
        de_la_hoja = frozenset(self.secretarias[clave].pk for clave in leida.responsables)
        if actuales == de_la_hoja:
            return False
        edicion = self.ediciones_responsables.get(estrategia.pk)
        if edicion is not None and not self.usar_hoja:
            self.diferencias.conservados_de_la_app += 1
            diferencia = _diferencia_de_conjuntos(
                self.nombres(de_la_hoja - actuales), self.nombres(actuales - de_la_hoja)
            )
            self.aviso(
                f"Estrategia {leida.numero}: se conservan los responsables editados en la aplicación"
                f"{_por_quien(edicion)} ({len(actuales)}); la hoja trae {len(de_la_hoja)} ({diferencia}). "
                "Marque «usar los valores de la hoja» para tomar los de la hoja."
            )
            return False
        Responsable = Estrategia.responsables.through
        Responsable.objects.filter(estrategia=estrategia, secretaria_id__in=actuales - de_la_hoja).delete()
        Responsable.objects.bulk_create(
            Responsable(estrategia=estrategia, secretaria_id=i) for i in de_la_hoja - actuales
        )
        detalles.append(
            "responsables: "
            + _diferencia_de_conjuntos(self.nombres(de_la_hoja - actuales), self.nombres(actuales - de_la_hoja))
        )
        return True

    def fusionar_programacion(self, estrategia, leida, detalles):
        actual = self.programacion[estrategia.pk]
        nueva = {mes: cantidad for mes, cantidad in leida.programacion.items() if cantidad > 0}
        cambios = []
        for mes in sorted(set(actual) | set(nueva)):
            antes = actual[mes].cantidad if mes in actual else None
            despues = nueva.get(mes)
            if antes == despues:
                continue
            cambios.append(f"{abreviatura_mes(mes)} {antes or '—'} → {despues or '—'}")
            if despues is None:
                self.borrar(actual[mes])
            elif antes is None:
                self.programacion_nueva.append(ProgramacionMensual(estrategia=estrategia, mes=mes, cantidad=despues))
            else:
                actual[mes].cantidad = despues
                self.programacion_cambiada.append(actual[mes])
        if cambios:
            detalles.append(f"cronograma: {'; '.join(cambios)}")

    def retirar_estrategias(self):
        """Strategies the sheet dropped: deleted, unless some meta of theirs has evidence."""
        for numero in sorted(self.estrategias):
            for estrategia in self.estrategias[numero]:
                metas = self.metas[estrategia.pk]
                if any(meta.pk in self.evidencias for meta in metas.values()):
                    self.cambio(
                        "estrategia", CONSERVADA, f"Estrategia {numero}", ["ya no está en la hoja; tiene evidencias"]
                    )
                    self.retirar_metas(metas.values())
                    continue
                for meta in metas.values():
                    self.meta_retirada(meta)
                self.borrar(estrategia)
                self.cambio("estrategia", RETIRADA, f"Estrategia {numero}", [f"«{estrategia.texto[:LARGO]}»"])

    # ---- metas and indicators ----

    def fusionar_metas(self, estrategia, leida):
        actuales = self.metas[estrategia.pk]
        for meta_leida in leida.metas:
            meta = actuales.pop(meta_leida.codigo, None)
            if meta is None:
                self.metas_nuevas.append((estrategia, meta_leida))
                self.meta_agregada(meta_leida)
            elif self.fusionar_meta(meta, meta_leida):
                self.metas_cambiadas.append(meta)
        self.retirar_metas(actuales.values())

    def meta_agregada(self, leida):
        self.cambio("meta", AGREGADA, f"Meta {leida.codigo}", [f"«{leida.texto[:LARGO]}»"])
        for indicador in leida.indicadores:
            self.cambio("indicador", AGREGADA, f"Indicador {indicador.codigo}", [f"«{indicador.texto[:LARGO]}»"])

    def meta_retirada(self, meta):
        """Record a meta deleted with its indicators (the caller deletes it, or its strategy)."""
        self.cambio("meta", RETIRADA, f"Meta {meta.codigo}", [f"«{meta.texto[:LARGO]}»"])
        for codigo, indicador in self.indicadores[meta.pk].items():
            self.cambio("indicador", RETIRADA, f"Indicador {codigo}", [f"«{indicador.texto[:LARGO]}»"])

    def fusionar_meta(self, meta, leida):
        """Update one matched meta in memory (saved in bulk by the caller); True when it must be saved."""
        detalles, cambiados = [], set()
        if meta.orden != leida.orden:
            meta.orden = leida.orden
            cambiados.add("orden")
        if meta.fuera_de_la_hoja:
            detalles.append("vuelve a estar en la hoja")
            meta.fuera_de_la_hoja = False
            cambiados.add("fuera_de_la_hoja")
        if meta.texto != leida.texto:
            detalles.append(f"texto: {resumir(meta.texto, leida.texto)}")
            meta.texto = leida.texto
            cambiados.add("texto")
        ediciones = self.ediciones_metas.get(meta.pk, {})
        for campo in CAMPOS_META:
            actual, de_la_hoja = getattr(meta, campo), getattr(leida, campo)
            if actual == de_la_hoja:
                continue
            etiqueta = ETIQUETAS_META[campo]
            if campo in ediciones and not self.usar_hoja:
                self.diferencias.conservados_de_la_app += 1
                self.aviso(
                    f"Meta {meta.codigo}: se conserva {etiqueta} {_valor(meta, campo, actual)}, editado en la "
                    f"aplicación{_por_quien(ediciones[campo])}; la hoja dice {_valor(meta, campo, de_la_hoja)}. "
                    "Marque «usar los valores de la hoja» para tomar el de la hoja."
                )
                continue
            detalles.append(f"{etiqueta}: {_valor(meta, campo, actual)} → {_valor(meta, campo, de_la_hoja)}")
            setattr(meta, campo, de_la_hoja)
            cambiados.add(campo)
        self.fusionar_indicadores(meta, leida)
        if detalles:
            self.cambio("meta", CAMBIADA, f"Meta {meta.codigo}", detalles)
        self.campos_meta |= cambiados
        return bool(cambiados)

    def retirar_metas(self, metas):
        """Metas the sheet dropped: deleted, or kept and flagged when they have evidence."""
        for meta in metas:
            evidencias = self.evidencias.get(meta.pk)
            if not evidencias:
                self.meta_retirada(meta)
                self.borrar(meta)
                continue
            detalle = f"ya no está en la hoja; tiene {evidencias} evidencia(s)"
            self.cambio("meta", CONSERVADA, f"Meta {meta.codigo}", [detalle])
            self.aviso(
                f"Meta {meta.codigo} ya no está en la hoja, pero tiene {evidencias} evidencia(s): se conserva marcada "
                "«ya no está en la hoja» y sus evidencias no se tocan."
            )
            if not meta.fuera_de_la_hoja:
                meta.fuera_de_la_hoja = True
                self.campos_meta.add("fuera_de_la_hoja")
                self.metas_cambiadas.append(meta)

    def fusionar_indicadores(self, meta, leida):
        actuales = self.indicadores[meta.pk]
        for leido in leida.indicadores:
            indicador = actuales.pop(leido.codigo, None)
            if indicador is None:
                self.indicadores_nuevos.append((meta, leido))
                self.cambio("indicador", AGREGADA, f"Indicador {leido.codigo}", [f"«{leido.texto[:LARGO]}»"])
            elif indicador.texto != leido.texto:
                detalle = f"texto: {resumir(indicador.texto, leido.texto)}"
                self.cambio("indicador", CAMBIADA, f"Indicador {leido.codigo}", [detalle])
                indicador.texto = leido.texto
                self.indicadores_cambiados.append(indicador)
        for codigo, indicador in actuales.items():
            self.borrar(indicador)
            self.cambio("indicador", RETIRADA, f"Indicador {codigo}", [f"«{indicador.texto[:LARGO]}»"])


def _valor(meta, campo, valor):
    if campo == "periodicidad":
        return str(Meta.Periodicidad(valor).label).lower()
    if campo == "por_secretaria":
        return "sí" if valor else "no"
    return str(valor)


def _por_quien(edicion):
    partes = []
    if edicion.usuario:
        partes.append(f" por {edicion.usuario}")
    if edicion.fecha:
        partes.append(f" el {localtime(edicion.fecha):%Y-%m-%d}")
    return "".join(partes)


def _diferencia_de_conjuntos(agregadas, quitadas):
    partes = [f"+ {nombre}" for nombre in agregadas] + [f"− {nombre}" for nombre in quitadas]
    return ", ".join(partes)
