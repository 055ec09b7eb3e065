"""Admin for evidence, the grupos de valor catalog, the semáforo, and delegates' secretariats."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from plan_participacion.models import Secretaria


class SecretariaDelUsuarioInline(admin.TabularInline):
    """The secretariats a person reports for, managed from the user's page."""

    model = Secretaria.delegados.through
    extra = 1
    verbose_name = _("secretaría")
    verbose_name_plural = _("Secretarías")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form.base_fields["secretaria"].label = _("secretaría")
        return formset


admin.site.unregister(User)


@admin.register(User)
class UsuarioAdmin(UserAdmin):
    inlines = [*UserAdmin.inlines, SecretariaDelUsuarioInline]
    list_filter = [*UserAdmin.list_filter, "secretarias"]
