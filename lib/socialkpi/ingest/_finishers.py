"""Each format's finisher, from its platform module: what turns a matched, typed frame into
canonical rows (``FINISH`` in ``meta``, ``youtube``, ...). The pipeline looks a format up here."""

from socialkpi.ingest import (
    ads,
    canonical,
    costs,
    facebook_legacy,
    ga4,
    linkedin,
    meta,
    tiktok,
    x,
    youtube,
)

FINISHERS = {
    **meta.FINISH,
    **facebook_legacy.FINISH,
    **youtube.FINISH,
    **linkedin.FINISH,
    **x.FINISH,
    **tiktok.FINISH,
    **ga4.FINISH,
    **canonical.FINISH,
    **costs.FINISH,
    **ads.FINISH,
}
