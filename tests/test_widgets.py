"""The live controls update the chart in place (the same JupyterChart, a new spec)."""

from socialkpi import store, widgets


def test_live_trend_follows_its_dropdowns(sample_db):
    path, _ = sample_db
    con = store.open_store(path, read_only=True)
    box = widgets.live_trend(con, "lumi_tea", "2026-10", "en", months=["2026-09", "2026-10"],
                             platforms=["facebook", "instagram"], kpis=["reach", "engagements"])  # fmt: skip
    controls, chart = box.children
    pick_kpi, pick_platform, pick_month = controls.children
    assert chart.chart.to_dict()["title"]["text"] == "Reach"
    pick_kpi.value = "engagements"
    assert chart.chart.to_dict()["title"]["text"] == "Engagements"
    before = chart.chart.to_dict()["datasets"]
    pick_platform.value = "facebook"
    assert chart.chart.to_dict()["datasets"] != before  # facebook only: other numbers
    con.close()
