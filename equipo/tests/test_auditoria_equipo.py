"""Team changes in /auditoria/: the coordinator reads those of her entity, never another's."""

from django.urls import reverse

from conftest import crear_usuario
from equipo.models import CambioEquipo


def test_los_cambios_del_equipo_estan_en_la_auditoria_de_su_entidad(
    client, coordinador, delegada_salud, entidad, pradera, delegado_pradera
):
    CambioEquipo.objects.create(
        entidad=entidad,
        persona=delegada_salud,
        autor=coordinador,
        accion=CambioEquipo.Accion.SECRETARIAS,
        secretarias_antes=["Secretaría de Hacienda"],
        secretarias_despues=["Secretaría de Salud Pública y Seguridad Social"],
    )
    coordinadora_pradera = crear_usuario("paula.pradera", "Coordinador", entidad=pradera)
    CambioEquipo.objects.create(
        entidad=pradera, persona=delegado_pradera, autor=coordinadora_pradera, accion=CambioEquipo.Accion.INVITACION
    )

    client.force_login(coordinador)
    (entrada,) = client.get(reverse("auditoria"), {"tipo": "equipo"}).context["entradas"]
    assert entrada.accion == "Cambió las secretarías"
    assert entrada.objeto == "Daniela Gómez"
    assert entrada.usuario == coordinador
    assert [(c.campo, c.antes, c.despues) for c in entrada.cambios] == [
        ("secretaría agregada", "", "Secretaría de Salud Pública y Seguridad Social"),
        ("secretaría quitada", "Secretaría de Hacienda", ""),
    ]
    assert entrada.enlace == reverse("equipo_persona", args=[delegada_salud.pk])

    client.force_login(coordinadora_pradera)
    (entrada,) = client.get(reverse("auditoria"), {"tipo": "equipo"}).context["entradas"]
    assert entrada.objeto == "Pablo Rojas"
