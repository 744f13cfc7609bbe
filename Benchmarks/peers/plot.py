"""Draws throughput against population size as an SVG (no plotting library): one line per
engine, both axes logarithmic."""
import math

COLOURS = ["#12355b", "#8a1c1c", "#c98a00", "#2e7d32", "#6a3d9a", "#00695c"]


def svg(series, title):
    """series: {engine: [(population, cases per second), …]}."""
    width, height, left, bottom, top, right = 760, 420, 80, 50, 40, 230
    xs = [x for points in series.values() for x, _ in points]
    ys = [y for points in series.values() for _, y in points]
    x0, x1 = math.floor(math.log10(min(xs))), math.ceil(math.log10(max(xs)))
    y0, y1 = math.floor(math.log10(min(ys))), math.ceil(math.log10(max(ys)))
    x1, y1 = max(x1, x0 + 1), max(y1, y0 + 1)
    def px(x): return left + (math.log10(x) - x0) / (x1 - x0) * (width - left - right)
    def py(y): return height - bottom - (math.log10(y) - y0) / (y1 - y0) * (height - bottom - top)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">',
             f'<title>{title}</title>', f'<text x="{left}" y="20" font-size="14">{title}</text>']
    for e in range(x0, x1 + 1):
        parts.append(f'<line x1="{px(10 ** e):.1f}" y1="{top}" x2="{px(10 ** e):.1f}" y2="{height - bottom}" stroke="#ddd"/>')
        parts.append(f'<text x="{px(10 ** e):.1f}" y="{height - bottom + 18}" text-anchor="middle">10^{e}</text>')
    for e in range(y0, y1 + 1):
        parts.append(f'<line x1="{left}" y1="{py(10 ** e):.1f}" x2="{width - right}" y2="{py(10 ** e):.1f}" stroke="#ddd"/>')
        parts.append(f'<text x="{left - 8}" y="{py(10 ** e) + 4:.1f}" text-anchor="end">10^{e}</text>')
    parts.append(f'<text x="{(left + width - right) / 2}" y="{height - 10}" text-anchor="middle">cases in the batch</text>')
    parts.append(f'<text x="16" y="{(top + height - bottom) / 2}" transform="rotate(-90 16 {(top + height - bottom) / 2})" text-anchor="middle">cases per second</text>')
    for index, (engine, points) in enumerate(series.items()):
        colour = COLOURS[index % len(COLOURS)]
        path = " ".join(f"{'M' if i == 0 else 'L'}{px(x):.1f},{py(y):.1f}" for i, (x, y) in enumerate(sorted(points)))
        parts.append(f'<path d="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for x, y in points:
            parts.append(f'<circle cx="{px(x):.1f}" cy="{py(y):.1f}" r="3" fill="{colour}"><title>{engine}: {y:,.0f} cases/s at {x:,}</title></circle>')
        parts.append(f'<rect x="{width - right + 15}" y="{top + index * 20}" width="12" height="12" fill="{colour}"/>')
        parts.append(f'<text x="{width - right + 32}" y="{top + index * 20 + 10}">{engine}</text>')
    parts.append("</svg>")
    return "\n".join(parts)
