"""Delegates' journey: Mis metas, evidence, files, and the review actions on one evidence."""

urlpatterns = []
