from __future__ import annotations

from uuid import UUID

from django.db.models import Q
from django.http import FileResponse
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.accounts.models import User
from motcua.core.errors import InvalidInput, NotFound
from motcua.dossiers.selectors import visible_dossiers
from motcua.files import sniff
from motcua.files.downloads import download
from motcua.files.models import StoredFile
from motcua.files.services import store_upload
from motcua.warehouse.selectors import documents_of

FileResult = inline_serializer(
    "FileResult",
    {
        "file_id": serializers.UUIDField(),
        "name": serializers.CharField(),
        "size": serializers.IntegerField(),
        "sha256": serializers.CharField(),
    },
)


class Upload(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser]

    @extend_schema(
        request={"multipart/form-data": inline_serializer("FileUpload", {"file": serializers.FileField()})},
        responses={201: FileResult},
    )
    def post(self, request: Request) -> Response:
        upload = request.FILES.get("file")
        if upload is None:
            raise InvalidInput(fields={"file": ["Thiếu tệp (file)."]})
        actor = request.user if isinstance(request.user, User) else None
        stored = store_upload(actor=actor, name=upload.name or "", stream=upload, size=upload.size or 0)
        return Response(
            {"file_id": str(stored.id), "name": stored.name, "size": stored.size, "sha256": stored.sha256},
            status=201,
        )


class Download(APIView):
    """A file is served to who uploaded it, to whoever may see a dossier it belongs to (a document
    reused from the warehouse belongs to the dossier that reuses it), and to the citizen whose
    warehouse keeps it."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses={(200, media_type): OpenApiTypes.BINARY for media_type in sniff.ALLOWED},
        description="The file as it was uploaded; its type is one of those an upload may have.",
    )
    def get(self, request: Request, file_id: UUID) -> FileResponse:
        visible = visible_dossiers(request.user)
        stored = (
            StoredFile.objects.filter(pk=file_id)
            .filter(
                Q(uploaded_by=request.user)
                | Q(pk__in=visible.filter(documents__file_id=file_id).values("documents__file_id"))
                | Q(pk__in=visible.filter(result_file_id=file_id).values("result_file_id"))
                | Q(pk__in=documents_of(request.user).filter(file_id=file_id).values("file_id"))
            )
            .first()
        )
        if stored is None:
            raise NotFound()
        return download(stored)


urlpatterns = [
    path("files", Upload.as_view(), name="file-upload"),
    path("files/<uuid:file_id>", Download.as_view(), name="file-download"),
]
