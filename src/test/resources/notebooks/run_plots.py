"""Runs the pandas and matplotlib code of notebooks/02-explore-results.ipynb on CSV exports of a run.

PySpark is not needed: the statements of the notebook that use Spark are left out, and their
results (small pandas frames, as the notebook's toPandas() calls make them) are read from CSV
files exported from the same output tables. Everything else in the cells that define the plots
runs as written in the notebook: component_order, the colours, plot_var_part, plot_percent_bars
and qq_points. Each figure is saved as PNG in OUT_DIR.

usage: run_plots.py NOTEBOOK CSV_DIR OUT_DIR
"""
import ast
import json
import math
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

notebook, csv_dir, out_dir = sys.argv[1:4]
cells = ["".join(c["source"]) for c in json.load(open(notebook, encoding="utf-8"))["cells"] if c["cell_type"] == "code"]

ns = {"pd": pd, "plt": plt, "math": math, "json": json}
ns["medians"] = pd.read_csv(f"{csv_dir}/medians.csv")
ns["ASSAYS"] = list(dict.fromkeys(ns["medians"]["assay"]))
ns["FDR"] = 0.05


def uses_spark(source):
    return "F." in source or "spark" in source or "toPandas" in source or "Window" in source


wanted = {"component_order", "plot_var_part", "plot_percent_bars", "qq_points"}
defined = set()
for cell in cells:
    tree = ast.parse(cell)
    if not any(isinstance(n, ast.FunctionDef) and n.name in wanted for n in tree.body):
        continue
    for node in tree.body:
        source = ast.get_source_segment(cell, node)
        if isinstance(node, ast.FunctionDef) or not (uses_spark(source) or isinstance(node, ast.For)):
            exec(compile(ast.Module([node], []), notebook, "exec"), ns)
            if isinstance(node, ast.FunctionDef):
                defined.add(node.name)
missing = wanted - defined
assert not missing, f"not found in the notebook: {missing}"

fractions = pd.read_csv(f"{csv_dir}/fractions.csv")
bars = pd.read_csv(f"{csv_dir}/bars.csv")
pvalues = pd.read_csv(f"{csv_dir}/pvalues.csv")
for assay in ns["ASSAYS"]:
    order = ns["ORDER"][assay]
    assert order[-1] == "Residuals", order
    frame = fractions[fractions["assay"] == assay][["component", "fraction"]]
    ns["plot_var_part"](frame, order, f"Variance fractions, assay {assay}").savefig(f"{out_dir}/violins-{assay}.png", dpi=80)
    ns["plot_percent_bars"](bars[bars["assay"] == assay], order, f"Top features, assay {assay}").savefig(
        f"{out_dir}/bars-{assay}.png", dpi=80)
    for test in [t for t in order if t != "Residuals"]:
        p = pvalues[(pvalues["assay"] == assay) & (pvalues["test"] == test)]["p_value"]
        x, y = ns["qq_points"](p)
        ranked = sorted(p)
        m = len(ranked)
        for r in (1, m):
            assert abs(x[r - 1] + math.log10((r - 0.5) / m)) < 1e-9, (test, r)
            assert abs(y[r - 1] + math.log10(max(ranked[r - 1], 1e-320))) < 1e-9, (test, r)
    plt.close("all")
print("plotted", ", ".join(ns["ASSAYS"]))
