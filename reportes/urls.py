"""Committee documents: PDF progress and verification reports, Excel schedule."""

urlpatterns = []
