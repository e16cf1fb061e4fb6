from django.db import models
from wagtail import hooks
from wagtail.admin.forms.models import register_form_field_override
from wagtail.admin.views.generic import chooser as chooser_views
from wagtail.admin.viewsets.chooser import ChooserViewSet
from wagtail.admin.widgets.slug import SlugInput

from loa.core.access import user_ward
from loa.plans.models import Plan, Task

from .slugs import slug_input_formatters

# Wagtail's own slug script drops Vietnamese letters ("Cảnh" → "cnh"); fold them instead.
register_form_field_override(
    models.SlugField, override={"widget": SlugInput(formatters=slug_input_formatters())}
)


def task_label(task: Task) -> str:
    """How a task reads in the chooser: plan number, unit, then the task itself."""
    return f"{task.plan.number or task.plan} · {task.unit.name} · {task}"


class WardTasksMixin:
    """Only the tasks of the editor's own ward, from plans being carried out."""

    def get_object_list(self):
        ward = user_ward(self.request.user)
        if ward is None:
            return Task.objects.none()
        return (
            Task.objects.filter(plan__ward=ward)
            .exclude(plan__status=Plan.Status.REVIEW)
            .select_related("plan", "unit")
            .order_by("plan__number", "unit__name", "order")
        )


class TaskChooseMixin(WardTasksMixin):
    @property
    def title_column(self):
        column = super().title_column
        column.accessor, column.label = task_label, "Nhiệm vụ (kế hoạch · đơn vị)"
        return column


class TaskChooseView(TaskChooseMixin, chooser_views.ChooseView):
    pass


class TaskChooseResultsView(TaskChooseMixin, chooser_views.ChooseResultsView):
    pass


class TaskChosenView(WardTasksMixin, chooser_views.ChosenView):
    def get_object(self, pk):
        return self.get_object_list().get(pk=pk)

    def get_display_title(self, instance):
        return task_label(instance)


class TaskChooserViewSet(ChooserViewSet):
    """Pick the plan task an article serves (a searchable list, not a long select)."""

    model = Task
    icon = "tasks"
    choose_one_text = "Chọn nhiệm vụ kế hoạch"
    choose_another_text = "Chọn nhiệm vụ khác"
    edit_item_text = "Sửa nhiệm vụ"
    per_page = 30
    url_prefix = "nhiem-vu-ke-hoach"
    choose_view_class = TaskChooseView
    choose_results_view_class = TaskChooseResultsView
    chosen_view_class = TaskChosenView


task_chooser_viewset = TaskChooserViewSet("task_chooser")


@hooks.register("register_admin_viewset")
def register_task_chooser():
    return task_chooser_viewset
