"""Draw the stand-in photos of the yuquan-daily sample issue.

Simple abstract scenes (sky, ground, buildings, people, snow) in place of real press
photos. Deterministic: every random choice comes from a seeded generator, and the JPEGs
are written without EXIF or timestamps, so running this twice gives identical files.

    python samples/make_photos.py
"""

from __future__ import annotations

import random
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

W, H = 1200, 800  # the scenes' drawing units (drawn at SS times this)
SS = 2  # supersampling factor: draw large, then shrink for smooth edges
#: Each photo's size in pixels: between 200 and 300 ppi where the sample prints it
#: (typeset preflight warns below 200; more than 300 only makes the PDF larger):
#: the lead 250 mm wide, brief-training and p3-water about 180 mm, p3-market 121 mm,
#: brief-lecture two columns (86 mm).
SIZES = {"lead-heating": (2400, 1600), "brief-training": (1800, 1200),
         "p3-water": (1800, 1200), "p3-market": (1200, 800), "brief-lecture": (900, 600)}
OUT = Path(__file__).resolve().parent / "yuquan-daily" / "images"


def lerp(a, b, t):
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b))


def vgradient(draw, box, top, bottom):
    x0, y0, x1, y1 = box
    for y in range(y0, y1):
        t = (y - y0) / max(1, y1 - y0 - 1)
        draw.line([(x0, y), (x1, y)], fill=lerp(top, bottom, t))


def person(draw, x, y, s, coat, skin=(214, 172, 140), hat=None, seated=False):
    """A simple figure standing (or sitting) with feet at (x, y), height about 170*s."""
    head_r = 13 * s
    body_h = (52 if seated else 78) * s
    leg_h = (30 if seated else 62) * s  # seated: lower legs from the stool seat down
    body_top = y - leg_h - body_h
    # legs
    draw.rectangle([x - 11 * s, y - leg_h, x - 2 * s, y], fill=(48, 52, 64))
    draw.rectangle([x + 2 * s, y - leg_h, x + 11 * s, y], fill=(48, 52, 64))
    # body
    draw.rounded_rectangle([x - 20 * s, body_top, x + 20 * s, y - leg_h + 6 * s],
                           radius=int(10 * s), fill=coat)
    # head
    cy = body_top - head_r + 2 * s
    draw.ellipse([x - head_r, cy - head_r, x + head_r, cy + head_r], fill=skin)
    if hat:
        draw.pieslice([x - head_r - 2 * s, cy - head_r - 3 * s,
                       x + head_r + 2 * s, cy + head_r], 180, 360, fill=hat)


def back_of_person(draw, x, y, s, coat, hair):
    """Seen from behind while seated: shoulders and head (y = shoulder line)."""
    draw.rounded_rectangle([x - 30 * s, y, x + 30 * s, y + 70 * s],
                           radius=int(16 * s), fill=coat)
    draw.ellipse([x - 15 * s, y - 34 * s, x + 15 * s, y + 2 * s], fill=hair)


def finish(img: Image.Image, name: str) -> None:
    size = SIZES[name]
    blur = 0.6 * size[0] / W  # the same softness at every size
    img = img.resize(size, Image.LANCZOS).filter(ImageFilter.GaussianBlur(blur))
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"{name}.jpg"
    img.convert("RGB").save(path, "JPEG", quality=80, optimize=True)
    print(f"{path.relative_to(OUT.parent.parent)}  {path.stat().st_size // 1024} kB")


def canvas(seed: int):
    """A supersampled picture to draw on: (random numbers, image, drawing, width, height).
    Each picture has its own seed, so the same script draws the same pictures."""
    w, h = W * SS, H * SS
    img = Image.new("RGB", (w, h))
    return random.Random(seed), img, ImageDraw.Draw(img, "RGBA"), w, h


def ridge(draw, rng, horizon: int, width: int, peaks: int, low: int, high: int, fill):
    """A line of hills on the horizon, ``peaks`` + 1 points between ``low`` and ``high``
    above it; returns the outline."""
    points = [(0, horizon)]
    for i in range(peaks + 1):
        points.append((i * width / peaks, horizon - rng.randint(low, high)))
    points.append((width, horizon))
    draw.polygon(points, fill=fill)
    return points


def lead_heating() -> None:
    """Winter morning in a residential district: blocks, heat plant chimney, snow."""
    rng, img, d, w, h = canvas(20261127)
    horizon = int(h * 0.66)
    vgradient(d, (0, 0, w, horizon), (126, 158, 196), (238, 214, 196))
    # distant snowy mountains
    ridge(d, rng, horizon, w, 12, 140, 330, (196, 206, 222))
    # heat plant: chimney and steam
    cx = int(w * 0.80)
    d.rectangle([cx - 150, horizon - 260, cx + 170, horizon], fill=(150, 152, 160))
    d.polygon([(cx - 34, horizon - 700), (cx + 34, horizon - 700),
               (cx + 52, horizon - 250), (cx - 52, horizon - 250)], fill=(178, 170, 166))
    for k in range(3):
        d.rectangle([cx - 38, horizon - 650 + k * 60, cx + 38, horizon - 632 + k * 60],
                    fill=(184, 62, 52))
    for k in range(9):
        r = 60 + k * 22
        x = cx - 20 - k * 70 + rng.randint(-10, 10)
        y = horizon - 760 - k * 34
        d.ellipse([x - r, y - r * 0.7, x + r, y + r * 0.7], fill=(250, 250, 252, 150))
    # residential blocks with windows
    x = 30
    while x < w * 0.70:
        bw = rng.randint(230, 330)
        bh = rng.randint(420, 720)
        wall = rng.choice([(214, 190, 160), (196, 170, 150), (222, 206, 182), (184, 176, 170)])
        d.rectangle([x, horizon - bh, x + bw, horizon + 40], fill=wall)
        d.rectangle([x - 8, horizon - bh - 18, x + bw + 8, horizon - bh], fill=(242, 244, 248))
        for fy in range(horizon - bh + 40, horizon - 30, 62):
            for fx in range(x + 24, x + bw - 40, 56):
                lit = rng.random() < 0.35
                d.rectangle([fx, fy, fx + 30, fy + 36],
                            fill=(255, 214, 130) if lit else (92, 108, 130))
        x += bw + rng.randint(30, 90)
    # snowy ground
    vgradient(d, (0, horizon, w, h), (236, 240, 246), (204, 214, 230))
    # cleared path and a small substation
    d.polygon([(int(w * 0.38), h), (int(w * 0.62), h), (int(w * 0.54), horizon + 40),
               (int(w * 0.47), horizon + 40)], fill=(168, 170, 176))
    sx, sy = int(w * 0.64), int(h * 0.80)
    d.rectangle([sx, sy - 260, sx + 420, sy], fill=(222, 226, 230))
    d.polygon([(sx - 20, sy - 260), (sx + 440, sy - 260), (sx + 400, sy - 300),
               (sx + 20, sy - 300)], fill=(246, 248, 252))
    d.rectangle([sx + 150, sy - 180, sx + 250, sy], fill=(84, 110, 140))
    for k in range(3):  # pipes with insulation
        py = sy - 60 - k * 44
        d.rectangle([sx - 260, py, sx, py + 26], fill=(200, 200, 196))
        d.rectangle([sx - 270, py - 4, sx - 250, py + 30], fill=(180, 70, 56))
    # workers in safety vests
    person(d, sx - 120, sy + 20, 2.0, (232, 118, 38), hat=(240, 210, 40))
    person(d, sx - 330, sy + 36, 2.1, (40, 70, 120), hat=(240, 210, 40))
    # snowflakes
    for _ in range(520):
        px, py = rng.randrange(w), rng.randrange(h)
        r = rng.choice([2, 3, 3, 4, 5])
        d.ellipse([px - r, py - r, px + r, py + r], fill=(255, 255, 255, 190))
    finish(img, "lead-heating")


def brief_training() -> None:
    """Classroom from the back: screen and banner, trainees in rows, two role-players."""
    rng, img, d, w, h = canvas(1120)
    floor_y = int(h * 0.58)
    vgradient(d, (0, 0, w, floor_y), (226, 220, 206), (240, 236, 226))
    vgradient(d, (0, floor_y, w, h), (170, 136, 104), (120, 92, 70))
    # red banner and screen
    d.rectangle([int(w * 0.16), 90, int(w * 0.84), 190], fill=(186, 36, 40))
    for k in range(16):  # blocks standing in for the banner's lettering
        bx = int(w * 0.22) + k * 88
        d.rectangle([bx, 118, bx + 58, 162], fill=(250, 226, 150))
    d.rectangle([int(w * 0.30), 240, int(w * 0.70), 720], fill=(40, 60, 90))
    d.rectangle([int(w * 0.31), 256, int(w * 0.69), 704], fill=(70, 120, 180))
    d.rectangle([int(w * 0.34), 300, int(w * 0.66), 360], fill=(236, 242, 250))
    for k in range(5):
        d.rectangle([int(w * 0.36), 420 + k * 56, int(w * 0.36) + rng.randint(260, 620),
                     440 + k * 56], fill=(210, 226, 244))
    # windows on the left wall
    for k in range(3):
        x0 = 40 + k * 150
        d.polygon([(x0, 260 + k * 20), (x0 + 110, 280 + k * 20),
                   (x0 + 110, 760 - k * 20), (x0, 780 - k * 20)], fill=(200, 224, 240))
    # two trainees role-playing in front of the screen
    person(d, int(w * 0.42), floor_y + 150, 2.6, (60, 110, 170))
    person(d, int(w * 0.56), floor_y + 150, 2.5, (170, 60, 70))
    d.rectangle([int(w * 0.47), floor_y + 10, int(w * 0.51), floor_y + 150], fill=(96, 70, 50))
    # rows of seated trainees seen from behind, nearer rows larger
    coats = [(44, 56, 80), (70, 74, 84), (120, 40, 44), (40, 90, 110), (90, 90, 96),
             (30, 40, 60), (150, 120, 90)]
    hairs = [(30, 26, 24), (50, 40, 34), (20, 20, 22), (80, 70, 64)]
    for row, (ry, s) in enumerate([(floor_y + 330, 2.3), (floor_y + 520, 3.0),
                                   (h - 120, 3.8)]):
        d.rectangle([0, ry + 30 * s, w, ry + 44 * s], fill=(200, 190, 176))  # desk edge
        n = 9 - row * 2
        for k in range(n):
            x = int((k + 0.5) * w / n) + rng.randint(-20, 20)
            back_of_person(d, x, ry, s, rng.choice(coats), rng.choice(hairs))
    finish(img, "brief-training")


def brief_lecture() -> None:
    """Residential courtyard: sky, house, tree, residents on stools around a speaker."""
    rng, img, d, w, h = canvas(1121)
    ground_y = int(h * 0.56)
    vgradient(d, (0, 0, w, ground_y), (150, 186, 222), (226, 234, 240))
    # house with a flat roof, blue door and windows
    d.rectangle([int(w * 0.08), 300, int(w * 0.92), ground_y + 20], fill=(226, 210, 180))
    d.rectangle([int(w * 0.06), 270, int(w * 0.94), 320], fill=(160, 120, 90))
    d.rectangle([int(w * 0.45), 520, int(w * 0.55), ground_y + 20], fill=(54, 104, 160))
    for fx in (0.16, 0.30, 0.66, 0.80):
        x0 = int(w * fx)
        d.rectangle([x0, 420, x0 + 160, 600], fill=(90, 130, 170))
        d.rectangle([x0 - 10, 410, x0 + 170, 424], fill=(240, 236, 228))
    # bare poplar at the side
    tx = int(w * 0.93)
    d.rectangle([tx - 18, 180, tx + 18, ground_y + 60], fill=(110, 90, 70))
    for k in range(14):
        y = 200 + k * 40
        d.line([(tx, y), (tx + rng.randint(-160, 160), y - rng.randint(60, 140))],
               fill=(110, 90, 70), width=8)
    # packed-earth yard with a thin snow cover
    vgradient(d, (0, ground_y, w, h), (214, 204, 190), (186, 170, 150))
    for _ in range(160):
        px, py = rng.randrange(w), rng.randrange(ground_y + 40, h)
        r = rng.randint(10, 40)
        d.ellipse([px - r, py - r // 3, px + r, py + r // 3], fill=(246, 246, 248, 120))
    # speaker standing beside a small table with a teapot
    cx = int(w * 0.50)
    d.rectangle([cx + 80, ground_y + 170, cx + 300, ground_y + 190], fill=(150, 96, 60))
    d.rectangle([cx + 100, ground_y + 190, cx + 116, ground_y + 320], fill=(120, 80, 50))
    d.rectangle([cx + 264, ground_y + 190, cx + 280, ground_y + 320], fill=(120, 80, 50))
    d.ellipse([cx + 150, ground_y + 120, cx + 220, ground_y + 172], fill=(230, 230, 236))
    person(d, cx, ground_y + 330, 2.8, (46, 60, 96))
    # residents seated on stools in a half ring, nearer ones larger
    coats = [(170, 50, 60), (60, 120, 90), (200, 150, 60), (80, 80, 120), (120, 70, 120),
             (50, 90, 150), (150, 110, 80)]
    skins = [(214, 172, 140), (200, 156, 120), (226, 186, 156)]
    ring = [(0.14, 0.92, 3.4), (0.27, 0.82, 3.0), (0.38, 0.76, 2.7), (0.63, 0.76, 2.7),
            (0.74, 0.82, 3.0), (0.87, 0.92, 3.4), (0.21, 0.70, 2.4), (0.80, 0.70, 2.4)]
    for fx, fy, s in sorted(ring, key=lambda r: r[1]):
        x, y = int(w * fx), int(h * fy)
        d.rectangle([x - 26 * s, y - 32 * s, x + 26 * s, y - 24 * s], fill=(140, 96, 60))
        d.rectangle([x - 24 * s, y - 24 * s, x - 19 * s, y], fill=(120, 80, 50))
        d.rectangle([x + 19 * s, y - 24 * s, x + 24 * s, y], fill=(120, 80, 50))
        person(d, x, y, s, rng.choice(coats), skin=rng.choice(skins), seated=True)
    finish(img, "brief-lecture")


def p3_water() -> None:
    """Water plant in early winter: clarifier tanks, clear-water pool, a worker sampling."""
    rng, img, d, w, h = canvas(1125)
    horizon = int(h * 0.48)
    vgradient(d, (0, 0, w, horizon), (112, 156, 206), (214, 228, 240))
    # bare brown hills with snow on the tops
    pts = ridge(d, rng, horizon, w, 9, 90, 230, (168, 150, 130))
    for x, y in pts[1:-1]:
        d.polygon([(x - 70, y + 40), (x, y), (x + 70, y + 40)], fill=(240, 242, 246))
    # plant building with a blue roof band and tall windows
    bx0, bx1 = int(w * 0.05), int(w * 0.42)
    d.rectangle([bx0, horizon - 300, bx1, horizon + 60], fill=(232, 228, 218))
    d.rectangle([bx0 - 10, horizon - 330, bx1 + 10, horizon - 290], fill=(52, 104, 168))
    for fx in range(bx0 + 50, bx1 - 80, 130):
        d.rectangle([fx, horizon - 230, fx + 70, horizon - 40], fill=(120, 160, 196))
    d.rectangle([bx1 - 150, horizon - 110, bx1 - 60, horizon + 60], fill=(90, 96, 104))
    # water tower
    tx = int(w * 0.50)
    d.rectangle([tx - 20, horizon - 420, tx + 20, horizon + 40], fill=(196, 198, 204))
    d.ellipse([tx - 110, horizon - 520, tx + 110, horizon - 380], fill=(206, 210, 216))
    # ground
    vgradient(d, (0, horizon, w, h), (222, 220, 214), (176, 170, 160))
    # round clarifier tanks on the right, seen obliquely
    for cx, cy, r in [(int(w * 0.66), horizon + 150, 230), (int(w * 0.88), horizon + 120, 200)]:
        d.ellipse([cx - r, cy - r * 0.32 + 40, cx + r, cy + r * 0.32 + 40], fill=(150, 150, 150))
        d.rectangle([cx - r, cy, cx + r, cy + 40], fill=(150, 150, 150))
        d.ellipse([cx - r, cy - r * 0.32, cx + r, cy + r * 0.32], fill=(186, 188, 190))
        d.ellipse([cx - r + 24, cy - r * 0.32 + 8, cx + r - 24, cy + r * 0.32 - 8],
                  fill=(92, 140, 150))
        d.line([(cx - r + 30, cy), (cx + r - 30, cy)], fill=(70, 74, 80), width=10)
    # rectangular clear-water pool in the foreground with a railing
    py0 = int(h * 0.70)
    d.polygon([(0, py0), (int(w * 0.70), py0), (int(w * 0.78), h), (0, h)], fill=(196, 196, 192))
    d.polygon([(40, py0 + 40), (int(w * 0.66), py0 + 40), (int(w * 0.72), h - 60),
               (40, h - 60)], fill=(64, 128, 168))
    for _ in range(60):  # ripples
        x, y = rng.randrange(80, int(w * 0.64)), rng.randrange(py0 + 70, h - 90)
        d.line([(x, y), (x + rng.randint(40, 140), y)], fill=(170, 210, 230, 140), width=4)
    d.line([(0, py0 - 40), (int(w * 0.70), py0 - 40)], fill=(236, 200, 40), width=12)
    for x in range(30, int(w * 0.70), 180):
        d.line([(x, py0 - 40), (x, py0 + 10)], fill=(236, 200, 40), width=10)
    # blue pipes along the pool edge
    for k in range(2):
        y = py0 + 6 - k * 36
        d.rectangle([int(w * 0.70), y, w, y + 24], fill=(46, 96, 170))
    # worker in a white coat bending over to fill a sample bottle
    wx, wy = int(w * 0.40), py0 + 30
    person(d, wx, wy, 2.4, (242, 242, 244), hat=(40, 90, 170))
    d.line([(wx + 30, wy - 240), (wx + 120, wy - 120)], fill=(242, 242, 244), width=22)
    d.rectangle([wx + 110, wy - 130, wx + 140, wy - 70], fill=(220, 236, 246))
    person(d, int(w * 0.22), wy - 10, 2.2, (40, 70, 120), hat=(240, 240, 240))
    # thin snow patches on the ground
    for _ in range(120):
        px, py = rng.randrange(w), rng.randrange(horizon + 30, py0 - 50)
        r = rng.randint(10, 36)
        d.ellipse([px - r, py - r // 3, px + r, py + r // 3], fill=(248, 248, 250, 130))
    finish(img, "p3-water")


def p3_market() -> None:
    """Farmers' market under a red awning: crates of cabbages, potatoes, carrots, shoppers."""
    rng, img, d, w, h = canvas(1126)
    ground_y = int(h * 0.60)
    # hall interior: steel roof trusses and skylight
    vgradient(d, (0, 0, w, ground_y), (196, 206, 214), (226, 224, 216))
    for x in range(0, w, 240):
        d.line([(x, 0), (x + 120, 160)], fill=(130, 136, 144), width=10)
        d.line([(x + 240, 0), (x + 120, 160)], fill=(130, 136, 144), width=10)
    d.line([(0, 160), (w, 160)], fill=(130, 136, 144), width=14)
    # back row of stalls with price boards
    for k in range(8):
        x0 = k * 300 + 20
        d.rectangle([x0, ground_y - 330, x0 + 260, ground_y - 280],
                    fill=rng.choice([(190, 40, 44), (40, 110, 70), (40, 80, 150)]))
        d.rectangle([x0 + 20, ground_y - 270, x0 + 240, ground_y - 60], fill=(236, 232, 222))
        for j in range(4):
            d.rectangle([x0 + 40, ground_y - 250 + j * 44, x0 + rng.randint(120, 220),
                         ground_y - 230 + j * 44], fill=(80, 80, 90))
    # concrete floor
    vgradient(d, (0, ground_y, w, h), (176, 174, 168), (130, 128, 122))
    # red awning over the front stall
    d.polygon([(int(w * 0.02), ground_y - 200), (int(w * 0.98), ground_y - 200),
               (int(w * 0.94), ground_y - 100), (int(w * 0.06), ground_y - 100)],
              fill=(196, 44, 40))
    for k in range(14):
        x = int(w * 0.06) + k * int(w * 0.88 / 14)
        d.rectangle([x, ground_y - 198, x + 60, ground_y - 102], fill=(238, 232, 220, 180))
    # counter with piles of vegetables
    top = ground_y + 60
    # stall keeper, standing behind the counter
    person(d, int(w * 0.50), top + 200, 2.6, (40, 110, 160), hat=(240, 240, 240))
    d.rectangle([int(w * 0.04), top, int(w * 0.96), top + 220], fill=(120, 92, 66))
    d.rectangle([int(w * 0.04), top, int(w * 0.96), top + 24], fill=(150, 118, 86))

    def pile(x0, x1, color, rx, ry, n, jitter):
        for _ in range(n):
            x = rng.randint(x0, x1)
            y = top - rng.randint(0, jitter)
            c = tuple(max(0, min(255, v + rng.randint(-16, 16))) for v in color)
            d.ellipse([x - rx, y - ry, x + rx, y + ry], fill=c, outline=(60, 70, 50))

    pile(int(w * 0.07), int(w * 0.30), (150, 196, 110), 70, 48, 40, 110)   # cabbages
    pile(int(w * 0.34), int(w * 0.52), (176, 140, 96), 34, 26, 90, 80)     # potatoes
    for _ in range(70):                                                    # carrots
        x = rng.randint(int(w * 0.56), int(w * 0.72))
        y = top - rng.randint(0, 70)
        d.polygon([(x, y - 12), (x + 90, y), (x, y + 12)], fill=(230, 120, 40))
    pile(int(w * 0.76), int(w * 0.93), (170, 110, 150), 40, 34, 50, 80)    # onions
    # hanging scale and a price card on each pile
    for fx in (0.18, 0.43, 0.64, 0.85):
        x = int(w * fx)
        d.rectangle([x - 60, top - 190, x + 60, top - 130], fill=(250, 236, 120))
        d.rectangle([x - 40, top - 172, x + 40, top - 150], fill=(180, 40, 40))
    # shoppers in front of the counter
    coats = [(120, 40, 50), (60, 64, 80), (170, 120, 60), (40, 80, 60), (110, 90, 140)]
    for fx, s in [(0.12, 4.2), (0.33, 4.6), (0.70, 4.4), (0.90, 4.0)]:
        person(d, int(w * fx), h + 120, s, rng.choice(coats), hat=rng.choice([None, (90, 30, 30)]))
    # tricycle cart with a cabbage load at the right edge
    cx = int(w * 0.80)
    d.rectangle([cx, h - 260, cx + 420, h - 200], fill=(40, 90, 150))
    d.ellipse([cx + 20, h - 210, cx + 130, h - 100], fill=(30, 30, 34))
    d.ellipse([cx + 300, h - 210, cx + 410, h - 100], fill=(30, 30, 34))
    for k in range(6):
        x = cx + 50 + k * 60
        d.ellipse([x - 44, h - 320, x + 44, h - 250], fill=(150, 196, 110), outline=(60, 70, 50))
    finish(img, "p3-market")


if __name__ == "__main__":
    lead_heating()
    brief_training()
    brief_lecture()
    p3_water()
    p3_market()
