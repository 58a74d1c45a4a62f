"""MotCua: one-stop administrative-procedure system (hệ thống một cửa)."""
