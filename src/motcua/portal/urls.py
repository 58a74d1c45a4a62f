from django.contrib.auth.views import LogoutView
from django.urls import path

from motcua.portal import citizen, payments, petitions, survey, views, vneid
from motcua.web.login import Login

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("thu-tuc/<str:code>/", views.procedure, name="procedure"),
    path("thu-tuc/<str:code>/nop-truc-tuyen/", citizen.submit, name="submit"),
    path("thu-tuc/<str:code>/nop-truc-tuyen/xem-lai/", citizen.review, name="review"),
    path("ho-so/", citizen.my_dossiers, name="my_dossiers"),
    path("ho-so/<int:pk>/", citizen.my_dossier, name="my_dossier"),
    path("kho-du-lieu/", citizen.my_documents, name="my_documents"),
    path("tai-khoan/thong-bao/", citizen.notification_channels, name="notification_channels"),
    path("ho-so/<int:pk>/da-nop/", citizen.submitted, name="submitted"),
    path("ho-so/<int:pk>/bo-sung/", citizen.supplement, name="supplement"),
    path("ho-so/<int:pk>/ket-qua/", citizen.result, name="result"),
    path("ho-so/<int:pk>/rut/", citizen.withdraw, name="withdraw"),
    path("ho-so/<int:pk>/thanh-toan/<int:payment_id>/", payments.pay, name="pay"),
    path("thanh-toan/ket-qua", payments.returned, name="payment_returned"),
    path("tra-cuu/", views.lookup, name="lookup"),
    path("tra-cuu/ket-qua/", views.lookup_result, name="lookup_result"),
    path("tra-cuu/bien-lai/", payments.lookup_receipt, name="lookup_receipt"),
    path("kiem-tra-ket-qua/", views.verify_result, name="verify_result"),
    path("danh-gia/", views.rate, name="rate"),
    path("phan-anh/", petitions.published, name="petitions"),
    path("phan-anh/gui/", petitions.send, name="petition_send"),
    path("phan-anh/da-gui/<str:code>/", petitions.sent, name="petition_sent"),
    path("phan-anh/<str:code>/", petitions.answer, name="petition_answer"),
    path("khao-sat/<str:token>/", survey.answer, name="survey"),
    path("dang-nhap/", Login.as_view(), name="login"),
    path("dang-nhap/vneid", vneid.start, name="vneid"),
    path("dang-nhap/vneid/callback", vneid.callback, name="vneid_callback"),
    path("dang-xuat/", LogoutView.as_view(next_page="portal:home"), name="logout"),
]
