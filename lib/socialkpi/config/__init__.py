"""What socialkpi is configured by, in one place: the languages it speaks, where the
repository is, brand names and settings files (``brands``, ``settings``)."""

from pathlib import Path

# the languages of the message catalogue (locale/<lang>.yaml); the first is the default
LANGS = ("zh-TW", "en")

# the time zone of a brand whose settings name none (days and months are cut in it)
DEFAULT_TIMEZONE = "Asia/Taipei"

# the repository: notebooks/, data/, templates/ (the one place it is found)
REPO = Path(__file__).resolve().parents[3]
