"""How passwords are stored: Argon2id, with parameters measured for a modest municipal server.

Django's own Argon2 parameters (100 MiB, 2 passes, 8 lanes) cost about as much CPU per login as
the PBKDF2 they replace (≈0.2 s on this 2-core machine) and 100 MiB of memory per login under
way: 20 gunicorn threads logging in at once would need 2 GB. These are the first of the
equivalent Argon2id settings OWASP's Password Storage Cheat Sheet recommends (m = 19 MiB, t = 2,
p = 1): memory-hard against GPU cracking, ≈20 ms of CPU per login (bench/claves.py; figures in
the README, «Contraseñas»).

Existing hashes are not touched until their owner logs in: Django then finds that the stored
hash is not of the first hasher in PASSWORD_HASHERS (PBKDF2) or has other parameters (an older
Argon2), checks the password with it and stores it again with these.
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2Municipal(Argon2PasswordHasher):
    """Argon2id, 19 MiB, 2 passes, 1 lane. Same algorithm name ("argon2"): any Argon2 hash verifies."""

    memory_cost = 19 * 1024  # KiB
    time_cost = 2
    parallelism = 1
