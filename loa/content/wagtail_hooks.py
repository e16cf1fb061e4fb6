from wagtail import hooks
from wagtail.admin.viewsets.chooser import ChooserViewSet

from loa.plans.models import Task


class TaskChooserViewSet(ChooserViewSet):
    """Pick the plan task an article serves (a searchable list, not a long select)."""

    model = Task
    icon = "tasks"
    choose_one_text = "Chọn nhiệm vụ kế hoạch"
    choose_another_text = "Chọn nhiệm vụ khác"
    edit_item_text = "Sửa nhiệm vụ"
    per_page = 30
    url_prefix = "nhiem-vu-ke-hoach"


task_chooser_viewset = TaskChooserViewSet("task_chooser")


@hooks.register("register_admin_viewset")
def register_task_chooser():
    return task_chooser_viewset
