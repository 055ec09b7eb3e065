"""Anonymous visitors of the Menú Participa for locust: the public page of a plan and its open data.

Run by bench/carga.py --visitantes N alongside the delegates' journey (bench/locustfile.py), in a
locust process of its own so that their figures are reported apart. By hand:
    locust -f bench/locust_visitantes.py --host http://127.0.0.1:8765

Each visitor reads /participa/, then, every CARGA_ESPERA_VISITANTES seconds (min,max; 1,3 by
default), the plan's page (a browser without the page in its cache), the same page revalidated with
If-None-Match (a browser or a proxy that has it: 304), or one of its open data files.
"""

import os
import re

from locust import HttpUser, between, task

ESPERA = [float(s) for s in os.environ.get("CARGA_ESPERA_VISITANTES", "1,3").split(",")]
PLAN = re.compile(r'href="/participa/(\d+)/"')


class Visitante(HttpUser):
    wait_time = between(*ESPERA)

    def on_start(self):
        self.plan = None
        self.etag = None
        with self.client.get("/participa/", name="P0 /participa/", catch_response=True) as r:
            encontrado = PLAN.search(r.text or "")
            if r.status_code != 200 or not encontrado:
                r.failure(f"sin planes publicados ({r.status_code})")
                return
            self.plan = encontrado.group(1)

    @task(5)
    def pagina(self):
        if not self.plan:
            return
        with self.client.get(f"/participa/{self.plan}/", name="P1 página del plan", catch_response=True) as r:
            if (
                r.status_code != 200
                or "Cookie" in r.headers.get("Vary", "")
                or "public" not in r.headers.get("Cache-Control", "")
            ):
                r.failure(f"respuesta no pública ({r.status_code}, {r.headers.get('Cache-Control')})")
                return
            self.etag = r.headers.get("ETag")

    @task(3)
    def revalidar(self):
        if not self.plan or not self.etag:
            return
        with self.client.get(
            f"/participa/{self.plan}/",
            name="P2 revalidación (304)",
            headers={"If-None-Match": self.etag},
            catch_response=True,
        ) as r:
            if r.status_code == 200:
                self.etag = r.headers.get("ETag")  # the data changed (an approval): a new version
            elif r.status_code != 304:
                r.failure(f"revalidación: {r.status_code}")

    @task(1)
    def metas_csv(self):
        if self.plan:
            self.client.get(f"/participa/{self.plan}/metas.csv", name="P3 metas.csv")

    @task(1)
    def cronograma_json(self):
        if self.plan:
            self.client.get(f"/participa/{self.plan}/cronograma.json", name="P4 cronograma.json")
