"""Wagtail admin viewsets whose every view asks the access module first."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from accounts import access


class ScopedListingMixin:
    def get_base_queryset(self):
        return access.visible_to(self.request.user, super().get_base_queryset())


class ScopedObjectMixin:
    """An object the user may not see is a 404 (its existence is not leaked);
    one they may see but not change is a 403 on the views that change it."""

    needs_change_permission = False

    def get_object(self, *args, **kwargs):
        obj = super().get_object(*args, **kwargs)
        if not access.can_view(self.request.user, obj):
            raise Http404
        if self.needs_change_permission and not access.can_change(
            self.request.user, obj
        ):
            raise PermissionDenied
        return obj


class ScopedIndexView(ScopedListingMixin, generic.IndexView):
    pass


class ScopedEditView(ScopedObjectMixin, generic.EditView):
    needs_change_permission = True


class ScopedDeleteView(ScopedObjectMixin, generic.DeleteView):
    needs_change_permission = True


class ScopedInspectView(ScopedObjectMixin, generic.InspectView):
    pass


class ScopedHistoryView(ScopedObjectMixin, generic.HistoryView):
    pass


class ScopedUsageView(ScopedObjectMixin, generic.UsageView):
    pass


class ScopedModelViewSet(ModelViewSet):
    index_view_class = ScopedIndexView
    edit_view_class = ScopedEditView
    delete_view_class = ScopedDeleteView
    inspect_view_class = ScopedInspectView
    history_view_class = ScopedHistoryView
    usage_view_class = ScopedUsageView
    copy_view_enabled = False
