#!/usr/bin/env python3
"""Plot a `parley-bench qoe --json FILE` run: the link's capacity, the server's estimate and
what the subscriber received, per second, with the layer it was on.

    python3 -m venv /tmp/plot && /tmp/plot/bin/pip install matplotlib
    /tmp/plot/bin/python Benchmarks/scripts/plot_qoe.py qoe.json docs/images/qoe.png
"""
import json
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def main(source: str, target: str) -> None:
    with open(source) as handle:
        report = json.load(handle)
    series = report["series"]
    seconds = [sample["t"] for sample in series]

    def column(key):
        return [sample.get(key) for sample in series]

    figure, (rates, layers) = plt.subplots(2, 1, figsize=(10, 6), sharex=True,
                                           gridspec_kw={"height_ratios": [3, 1]})
    rates.step(seconds, column("capacity_kbps"), where="post", label="link capacity", color="black", linewidth=2)
    rates.plot(seconds, column("estimate_kbps"), marker="o", markersize=3, label="server's estimate (transport-cc)")
    rates.plot(seconds, column("received_kbps"), marker="s", markersize=3, label="received (audio + video)")
    rates.set_ylabel("kbit/s")
    rates.set_yscale("log")
    rates.grid(True, which="both", alpha=0.3)
    rates.legend(loc="lower left")
    rates.set_title("parley-bench qoe: " + report.get("link", ""), fontsize=9)

    layers.step(seconds, column("layer"), where="post", color="tab:green", label="simulcast layer received")
    frozen = [ms or 0 for ms in column("frozen_ms")]
    layers.bar(seconds, [ms / 1000 for ms in frozen], color="tab:red", alpha=0.5, label="frozen (s of each second)")
    layers.set_ylim(-0.2, 2.4)
    layers.set_yticks([0, 1, 2])
    layers.set_xlabel("seconds")
    layers.legend(loc="upper left", fontsize=8)
    layers.grid(True, alpha=0.3)

    summary = (f"down-switch {report.get('downswitch_s') or float('nan'):.2f} s, "
               f"recovery {report.get('recovery_s') or float('nan'):.2f} s, "
               f"longest freeze {report['max_freeze_ms']:.0f} ms, "
               f"steady switches {report['steady_switches_per_10s']:.2f}/10 s, "
               f"use {report['utilization_percent']:.0f} %, overshoot loss {report['overshoot_loss_percent']:.2f} %")
    figure.text(0.5, 0.005, summary, ha="center", fontsize=8)
    figure.tight_layout(rect=(0, 0.03, 1, 1))
    figure.savefig(target, dpi=110)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: plot_qoe.py REPORT.json OUTPUT.png")
    main(sys.argv[1], sys.argv[2])
