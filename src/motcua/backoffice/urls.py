from django.contrib.auth.views import LogoutView
from django.urls import path

from motcua.backoffice import outbox, par, payments, petitions, surveys, views
from motcua.web.login import Login

app_name = "backoffice"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("dang-nhap/", Login.as_view(staff=True), name="login"),
    path("dang-xuat/", LogoutView.as_view(next_page="backoffice:login"), name="logout"),
    path("tiep-nhan/", views.intake_pick, name="intake_pick"),
    path("tiep-nhan/<str:code>/", views.intake, name="intake"),
    path("ho-so/<int:pk>/", views.dossier, name="dossier"),
    path("ho-so/<int:pk>/da-tiep-nhan/", views.received, name="received"),
    path("ho-so/<int:pk>/xu-ly/<str:action>/", views.act, name="act"),
    path("thanh-toan/sao-ke/", payments.statement, name="statement"),
    path(
        "ho-so/<int:pk>/thanh-toan/<int:payment_id>/chuyen-khoan/",
        payments.confirm_transfer,
        name="confirm_transfer",
    ),
    path("ho-so/<int:pk>/thanh-toan/gui-lai/", payments.resend_request, name="resend_payment_request"),
    path("tim-kiem/", views.search, name="search"),
    path("phan-anh/", petitions.queue, name="petitions"),
    path("phan-anh/nhap/", petitions.entry, name="petition_entry"),
    path("phan-anh/<int:pk>/", petitions.petition, name="petition"),
    path("phan-anh/<int:pk>/xu-ly/<str:action>/", petitions.act, name="petition_act"),
    path("phan-anh/<int:pk>/phan-loai/", petitions.classify, name="petition_classify"),
    path("ket-noi/", outbox.outbox, name="outbox"),
    path("ket-noi/<int:pk>/gui-lai/", outbox.retry, name="outbox_retry"),
    path("khao-sat/", surveys.surveys, name="surveys"),
    path("khao-sat/<int:pk>/", surveys.survey, name="survey"),
    path("cchc/", par.assessments, name="par-assessments"),
    path("cchc/<int:pk>/", par.assessment, name="par-assessment"),
    path("cchc/<int:pk>/<str:code>/", par.unit, name="par-unit"),
]
