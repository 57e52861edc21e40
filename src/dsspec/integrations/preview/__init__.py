"""``dsspec preview``: a live page of a spec (``page`` renders it, ``server`` serves and rebuilds it)."""
