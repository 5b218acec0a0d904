"""The trade-off front of `assign pareto` (`assign.analysis.pareto`) for people: a table, a PNG plot, a Markdown page."""

from __future__ import annotations

from pathlib import Path

from tabulate import tabulate

from assign.analysis.pareto import Front, Point
from assign.export.atomic import atomic_path, write_text
from assign.export.cells import md_text


def front_rows(front: Front) -> tuple[list[str], list[list[str]]]:
    """Headers and rows of the front's table: one row per point, then the current plan."""
    names = [*front.first, front.second]
    headers = ["plan", "ε", *names, "有联系教研员的学校", "有联系教研员的薄弱学校", "状态", "秒"]

    def row(label: str, p: Point) -> list[str]:
        eps = "—" if p.epsilon is None else f"≤ {p.epsilon:g}" if front.senses[front.second] == "min" else f"≥ {p.epsilon:g}"
        return [label, eps, *(f"{p.values[n]:g}" for n in names), str(p.kpis.get("schools_covered", "—")),
                str(p.kpis.get("priority_covered", "—")), p.status, f"{p.seconds:.2f}"]

    rows = [row(f"P{i}", p) for i, p in enumerate(front.points, start=1)]
    if front.current is not None and front.current.values:
        rows.append(row("current", front.current))
    return headers, rows


def plot_front(front: Front, target, title: str = "") -> None:
    """A PNG: the trade-off curve (second objective across, the most varying first term up), the current plan starred.

    Labels are in English: matplotlib's default fonts have no Chinese glyphs.
    """
    import matplotlib

    matplotlib.use("Agg")  # files only, no display
    import matplotlib.pyplot as plt

    # Up the side: the first-objective term that tells the points apart best.
    y_name = max(front.first, key=lambda n: len({p.values[n] for p in front.points}))
    xs = [p.values[front.second] for p in front.points]
    ys = [p.values[y_name] for p in front.points]
    fig, ax = plt.subplots(figsize=(8, 5.5), dpi=120)
    ax.step(xs, ys, where="post", color="#999999", linewidth=1, zorder=1)
    ax.scatter(xs, ys, s=50, color="#1f77b4", zorder=2, label="non-dominated plans")
    for i, (x, y, point) in enumerate(zip(xs, ys, front.points), start=1):
        ax.annotate(f"P{i}: {point.kpis.get('schools_covered', '?')} schools", (x, y), textcoords="offset points", xytext=(6, -13), fontsize=9)
    if front.current is not None and front.current.values:
        cx, cy = front.current.values[front.second], front.current.values[y_name]
        ax.scatter([cx], [cy], s=260, marker="*", color="#d62728", zorder=3, label="current plan")
        ax.annotate("current plan", (cx, cy), textcoords="offset points", xytext=(-95, 4), fontsize=10, color="#d62728")
    ax.set_xlabel(f"{front.second} ({'lower' if front.senses[front.second] == 'min' else 'higher'} is better)")
    ax.set_ylabel(f"{y_name} ({'higher' if front.senses[y_name] == 'max' else 'lower'} is better)")
    ax.set_title(title or f"Trade-off: {y_name} vs {front.second} ({len(front.points)} non-dominated plans)")
    ax.grid(True, alpha=0.3)
    ax.legend(loc="lower right")
    fig.tight_layout()
    with atomic_path(Path(target)) as tmp:
        fig.savefig(tmp, format="png")
    plt.close(fig)


def front_table(front: Front, fmt: str = "simple") -> str:
    headers, rows = front_rows(front)
    return tabulate(rows, headers=headers, tablefmt=fmt, disable_numparse=True)


def write_front(front: Front, folder: Path, title: str) -> list[Path]:
    """pareto.png and pareto.md (the plot and the table) in `folder`, each written atomically."""
    png, md = folder / "pareto.png", folder / "pareto.md"
    plot_front(front, png, title=title)
    write_text(md, f"# {md_text(title)}\n\n![trade-off](pareto.png)\n\n{front_table(front, fmt='github')}\n")
    return [png, md]
