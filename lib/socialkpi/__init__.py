"""socialkpi: platform exports into KPI notebooks, report bundles and dashboards."""

import sys

# jsonschema (imported by Altair and nbformat) builds an Earley parser for the "iri" and
# "iri-reference" string formats when rfc3987_syntax is installed (a dependency of
# jupyter-events' extras): 0.75 s in every kernel, report and command. No schema socialkpi
# validates uses those formats, so in a process that imports socialkpi first the module is
# left out (jsonschema then skips those checks, as it does wherever the package is missing).
sys.modules.setdefault("rfc3987_syntax", None)
