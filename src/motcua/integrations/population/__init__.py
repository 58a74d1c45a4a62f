"""The National Population Database look-up (CSDL quốc gia về dân cư, TraCuuThongTinCongDan).

``ports`` and ``wire`` are plain Python; ``client`` is the real adapter; ``services`` writes the audit
row of every call and ``selectors`` reads it back when a dossier uses a look-up.
"""
