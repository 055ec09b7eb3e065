"""Rate limits shared by every process: sliding windows of turns kept in Django's cache."""

import hashlib

from django.core.cache import cache


def turno_libre(grupo, clave, limite, ventana):
    """Take one of ``limite`` turns of ``clave`` that each last ``ventana`` seconds; False when all are taken.

    Each turn is a key of Django's cache created with add(), which only one process can win, with
    the database cache as with memcached (a read-then-write counter would let two workers take the
    last turn). A turn frees itself when its time runs out: a sliding window. With the per-process
    local-memory cache each process would count on its own: use a shared cache (CACHES).
    """
    base = f"limite:{grupo}:{hashlib.sha256(clave.encode()).hexdigest()}"
    return any(cache.add(f"{base}:{turno}", 1, timeout=ventana) for turno in range(limite))
