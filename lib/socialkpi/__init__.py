"""socialkpi: platform exports into KPI notebooks, report bundles and dashboards."""

import sys

# jsonschema (imported by Altair and nbformat) builds an Earley parser for the "iri" string
# format when rfc3987_syntax is installed (a dependency of jupyter-events' extras): 0.75 s in
# every kernel, report and command. No schema socialkpi validates uses that format, so in a
# process that imports socialkpi first the module is left out (jsonschema then skips "iri"
# checks, as it does wherever the package is not installed). bench/profile_bundle.py: imports.
sys.modules.setdefault("rfc3987_syntax", None)
