"""What socialkpi is configured by, in one place: the languages it speaks, the platforms and
content types it knows, the sentiment scorers and engagement-rate definitions a brand may
choose, the default time zone, where the repository is, what it reads from the environment
(:func:`environment`); brand names and settings files (``brands``, ``settings``), YAML files
checked against a model (``checked``), business hours (``hours``), country names (``places``)."""

import functools
import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from importlib import resources
from pathlib import Path

import yaml

# the languages of the message catalogue (locale/<lang>.yaml); the first is the default
LANGS = ("zh-TW", "en")

# the platforms and content types socialkpi knows (the store's vocabulary)
PLATFORMS = (
    "facebook",
    "instagram",
    "youtube",
    "linkedin",
    "x",
    "tiktok",
    "threads",
    "line",
    "web",
)
CONTENT_TYPES = ("image", "video", "reel", "carousel", "text", "link", "story", "live")

# the sentiment scorers a brand may choose in brands.yaml (metrics.sentiment implements each)
SCORERS = ("lexicon",)

# the time zone of a brand whose settings name none (days and months are cut in it)
DEFAULT_TIMEZONE = "Asia/Taipei"

# the repository: notebooks/, data/, templates/ (the one place it is found)
REPO = Path(__file__).resolve().parents[3]
# where brands' budget files and the exchange rates are (metrics.money reads them)
BUDGETS_DIR = REPO / "data" / "budgets"
RATES_FILE = REPO / "data" / "rates.yaml"


@dataclass(frozen=True)
class Environment:
    """What socialkpi reads from the environment, read in one place (:func:`environment`).
    Processes socialkpi starts (kernels, Voila, workers) get these variables in the
    environment they are started with; nothing changes ``os.environ`` to pass them on."""

    db: str | None = None  # SOCIALKPI_DB: the store notebooks and dashboards read
    goals: str | None = None  # SOCIALKPI_GOALS: the folder of goals files
    actions: str | None = None  # SOCIALKPI_ACTIONS: the folder of action logs
    experiments: str | None = None  # SOCIALKPI_EXPERIMENTS: the folder of content tests
    log: str | None = None  # SOCIALKPI_LOG: where kernels and dashboards log warnings
    logo: str | None = None  # SOCIALKPI_LOGO: a local SVG or PNG for the dashboard header
    chromium: str | None = None  # SOCIALKPI_CHROMIUM: the browser that prints the PDF
    credentials: str | None = None  # SOCIALKPI_CREDENTIALS: the API tokens' file
    threads_url: str | None = None  # SOCIALKPI_THREADS_URL: another Threads API (tests: a fake)
    graph_url: str | None = None  # SOCIALKPI_GRAPH_URL: another Graph API (tests: a fake)
    line_url: str | None = None  # SOCIALKPI_LINE_URL: another LINE Messaging API (tests: a fake)
    # SOCIALKPI_SHARED_READS: any value keeps reads of the serving copy on disk for every process
    # (store.cache; the dashboard server sets it for its kernels)
    shared_reads: str | None = None

    @staticmethod
    def variable(name: str) -> str:
        """The environment variable of a field: ``actions`` -> SOCIALKPI_ACTIONS."""
        return f"SOCIALKPI_{name.upper()}"


def environment(env: Mapping[str, str] | None = None) -> Environment:
    """The :class:`Environment` of ``env`` (default: this process's); an empty value is unset.

    >>> environment({"SOCIALKPI_ACTIONS": "/tmp/a", "SOCIALKPI_DB": ""}).actions
    '/tmp/a'
    """
    env = os.environ if env is None else env
    values = {f.name: env.get(Environment.variable(f.name)) or None for f in fields(Environment)}
    return Environment(**values)


def own_yaml(text: str):
    """One of socialkpi's own YAML files (definitions, catalogue, header maps, lexicon), parsed
    with PyYAML's C parser where libyaml is there: every kernel reads them at its start."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(text, Loader=loader)  # noqa: S506 - both loaders are safe loaders


@functools.cache
def engagement_rate_ids() -> tuple[str, ...]:
    """The engagement-rate definitions a brand can choose between (``metrics.yaml``'s
    ``engagement_rate_basis``; ``metrics.engagement_rate_ids`` returns the same, read here so
    that brands.yaml is checked below the metrics layer)."""
    text = (resources.files("socialkpi") / "metrics.yaml").read_text("utf-8")
    return tuple(own_yaml(text)["engagement_rate_basis"])
