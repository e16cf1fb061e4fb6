"""The JSON API of Loa; each app adds its router. OpenAPI at /api/docs."""

from ninja import NinjaAPI

from loa.assistant.api import router as assistant_router
from loa.learning.api import router as learning_router

api = NinjaAPI(
    title="Loa API",
    version="1",
    description="API của Loa, nền tảng truyền thông số của phường.",
    urls_namespace="api",
)
api.add_router("/assistant", assistant_router)
api.add_router("/learning", learning_router)
