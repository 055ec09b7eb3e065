"""CPU of a login with each way of storing passwords. Not a test: it prints figures.

    .venv/bin/python bench/claves.py [--rondas 15]

Django is set up against a throw-away SQLite database in a temporary folder. One user per way of
storing the password; the rounds interleave them (one login of each per round) so that whatever
else runs on the machine weighs on all alike. For each it prints the median CPU time of the whole
login POST (this process' CPU: argon2 with several lanes runs threads, counted too) and of the
password check alone, and the memory each check needs.

    antes      PBKDF2-SHA256, 1 000 000 iterations (Django 5.2's default, what the app used)
    django     Argon2id with Django's parameters: 100 MiB, t=2, p=8
    elegido    Argon2id as plan_participacion.claves.Argon2Municipal: 19 MiB, t=2, p=1
    migrando   a PBKDF2 hash checked once and stored again as Argon2 (each user's first login after the change)
"""

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

RAIZ = Path(__file__).resolve().parents[1]
CLAVE = "una-clave-de-bench-2026"
HASHERS = {
    "antes": "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django": "django.contrib.auth.hashers.Argon2PasswordHasher",
    "elegido": "plan_participacion.claves.Argon2Municipal",
}


def preparar(carpeta):
    sys.path.insert(0, str(RAIZ))
    os.environ["DATABASE_URL"] = f"sqlite:///{carpeta / 'claves.sqlite3'}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "plan_participacion.settings"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def cpu(funcion):
    inicio = time.process_time()
    funcion()
    return time.process_time() - inicio


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rondas", type=int, default=15)
    args = parser.parse_args()
    carpeta = Path(tempfile.mkdtemp(prefix="bench-claves-"))
    try:
        preparar(carpeta)
        medir(args.rondas)
    finally:
        shutil.rmtree(carpeta, ignore_errors=True)


def medir(rondas):
    from django.conf import settings
    from django.contrib.auth.models import User
    from django.test import Client
    from django.test.utils import override_settings
    from django.urls import reverse
    from django.utils.module_loading import import_string

    settings.ALLOWED_HOSTS = ["testserver"]
    # Each class encodes its own (Django's Argon2 and ours share the algorithm name "argon2").
    hasher_de = {nombre: import_string(ruta)() for nombre, ruta in HASHERS.items()}
    hashes = {nombre: h.encode(CLAVE, h.salt()) for nombre, h in hasher_de.items()}
    primero = {nombre: [ruta, *(r for r in HASHERS.values() if r != ruta)] for nombre, ruta in HASHERS.items()}
    primero["migrando"] = primero["elegido"]

    login, verificar = {n: [] for n in primero}, {n: [] for n in HASHERS}
    for ronda in range(rondas):
        for nombre, hashers in primero.items():
            usuario = f"bench.{nombre}.{ronda}"
            # "migrando" starts from the PBKDF2 hash every round: its login verifies it and stores Argon2.
            inicial = hashes["antes"] if nombre == "migrando" else hashes[nombre]
            User.objects.create(username=usuario, password=inicial)
            with override_settings(PASSWORD_HASHERS=hashers):
                cliente = Client()
                respuesta = None

                def entrar(cliente=cliente, usuario=usuario):
                    nonlocal respuesta
                    respuesta = cliente.post(reverse("login"), {"username": usuario, "password": CLAVE})

                login[nombre].append(cpu(entrar))
                if respuesta.status_code != 302:
                    raise SystemExit(f"El inicio de sesión de {usuario} falló ({respuesta.status_code}).")
                if nombre in verificar:
                    h = hasher_de[nombre]
                    verificar[nombre].append(cpu(lambda h=h, nombre=nombre: h.verify(CLAVE, hashes[nombre])))
        migrado = User.objects.get(username=f"bench.migrando.{ronda}").password
        if not migrado.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$"):
            raise SystemExit(f"El hash de PBKDF2 no se guardó otra vez con Argon2: {migrado[:40]}…")

    base = statistics.median(login["antes"])
    print(
        f"CPU por inicio de sesión (mediana de {rondas}, en ms; carga media {os.getloadavg()[0]:.1f} "
        f"con {os.cpu_count()} CPU)"
    )
    print(f"{'forma':<10} {'POST /cuentas/login/':>21} {'× antes':>8} {'solo verificar':>15} {'memoria':>9}")
    memoria = {"antes": "~0", "django": "100 MiB", "elegido": "19 MiB", "migrando": "19 MiB"}
    for nombre in primero:
        mediana = statistics.median(login[nombre])
        solo = f"{1000 * statistics.median(verificar[nombre]):.1f}" if nombre in verificar else "—"
        print(f"{nombre:<10} {1000 * mediana:>21.1f} {mediana / base:>8.2f} {solo:>15} {memoria[nombre]:>9}")


if __name__ == "__main__":
    main()
