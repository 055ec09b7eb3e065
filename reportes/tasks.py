"""Background work of the reports, run by `manage.py db_worker --queue-name informes` (django-tasks).

On Django 6 the import becomes ``from django.tasks import task``.
"""

from django_tasks import task

from reportes import trabajos


@task(queue_name="informes", takes_context=True)
def generar_informe(context, informe_id):
    """Render one report job (reportes.trabajos.generar): at most REPORTES_EN_PARALELO at once."""
    return trabajos.generar(informe_id, str(context.task_result.id))


@task()
def limpiar_informes():
    """Delete report files nobody asked for in REPORTES_DIAS_SIN_PEDIR days (enqueued hourly by the reaper)."""
    return trabajos.limpiar()
