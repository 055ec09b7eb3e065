"""Demo accounts to try every role on a laptop: three delegates, a coordinator and the committee.

Only with DEBUG on (or --forzar): the passwords are public in the README.
"""

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from plan_participacion.models import Entidad, Membresia, Secretaria

CLAVE_DEMO = "participacion-demo"
# The demo plan's entity (cargar_demo imports Candelaria's sheet first, which creates it).
ENTIDAD_DEMO = "Municipio de Candelaria"

USUARIOS = [
    # username, first name, last name, role, secretariat (as in the sheet) or None
    ("delegada.salud", "Daniela", "Gómez", "Delegado", "Secretaría de Salud Pública y Seguridad Social"),
    ("delegado.hacienda", "Hernán", "Pérez", "Delegado", "Secretaría de Hacienda"),
    ("delegada.social", "Sofía", "Caicedo", "Delegado", "Secretaría de Desarrollo Social y Programas Especiales"),
    ("coordinadora", "Carolina", "Ríos", "Coordinador", None),
    ("comite", "Camilo", "Mejía", "Comité", None),
]


def entidad_demo():
    return Entidad.objects.llamadas(ENTIDAD_DEMO).first() or Entidad.objects.create(nombre=ENTIDAD_DEMO)


def secretaria_llamada(nombre, entidad):
    """The entidad's secretariat for a name however it is spelt; created if the plan has not named it yet."""
    existente = Secretaria.objects.de_entidad(entidad).llamadas(nombre).first()
    return existente or Secretaria.objects.create(entidad=entidad, nombre=nombre)


class Command(BaseCommand):
    help = "Crea usuarios de demostración (delegados, coordinadora y comité) con una contraseña conocida."

    def add_arguments(self, parser):
        parser.add_argument("--clave", default=CLAVE_DEMO, help="Contraseña de los usuarios de demostración.")
        parser.add_argument("--forzar", action="store_true", help="Crearlos aunque DEBUG esté desactivado.")

    @transaction.atomic
    def handle(self, *args, clave, forzar, **options):
        if not settings.DEBUG and not forzar:
            raise CommandError(
                "Con DEBUG=False no se crean usuarios de demostración (use --forzar si de verdad los quiere)."
            )
        entidad = entidad_demo()
        for username, nombre, apellido, rol, secretaria in USUARIOS:
            usuario, _creado = User.objects.update_or_create(
                username=username,
                defaults={
                    "first_name": nombre,
                    "last_name": apellido,
                    "email": f"{username}@example.com",
                    "is_staff": rol == "Coordinador",
                    "is_active": True,
                },
            )
            usuario.set_password(clave)
            usuario.save()
            usuario.groups.add(Group.objects.get(name=rol))
            Membresia.objects.update_or_create(usuario=usuario, defaults={"entidad": entidad})
            detalle = rol
            if secretaria:
                secretaria = secretaria_llamada(secretaria, entidad)
                secretaria.delegados.add(usuario)
                detalle = f"{rol} de {secretaria.nombre}"
            self.stdout.write(f"  {username:<20} {detalle}")
        self.stdout.write(self.style.SUCCESS(f"Usuarios de demostración listos. Contraseña: {clave}"))
