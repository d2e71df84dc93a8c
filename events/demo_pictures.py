"""Illustrations of the catalogue's animations for the demo, drawn with Pillow.

Simple flat scenes without any text (a picture with words drawn in it is unreadable at
thumbnail size and untranslatable), in the site's palette. Drawn at twice the size and
reduced, so edges are smooth; flat colours keep the JPEG renditions light for rural
connections (tests/events/test_demo_pictures.py checks their weight).
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable

from PIL import Image, ImageDraw

WIDTH, HEIGHT = 1200, 900
SCALE = 2  # drawn at twice the size, then reduced: smooth edges without an antialiasing API

COFFEE = (59, 36, 22)
CREAM = (251, 246, 238)
SAND = (243, 230, 211)
BRICK = (154, 52, 18)
WOOD = (139, 90, 43)
WOOD_DARK = (101, 62, 28)
GREEN = (31, 92, 74)
LEAF = (92, 140, 72)
SKY = (176, 212, 230)
NIGHT = (28, 36, 72)
GOLD = (255, 210, 122)
WHITE = (255, 255, 255)
BULBS = [(255, 210, 122), (240, 128, 96), (140, 200, 160), (250, 240, 200)]

Point = tuple[float, float]


class Canvas:
    """Drawing in the final image's coordinates (1200 × 900)."""

    def __init__(self, background: tuple[int, int, int]) -> None:
        self.image = Image.new("RGB", (WIDTH * SCALE, HEIGHT * SCALE), background)
        self.draw = ImageDraw.Draw(self.image)

    @staticmethod
    def _points(points: list[Point]) -> list[Point]:
        return [(x * SCALE, y * SCALE) for x, y in points]

    def polygon(self, points: list[Point], fill) -> None:
        self.draw.polygon(self._points(points), fill=fill)

    def rect(self, box: tuple[float, float, float, float], fill, radius: float = 0) -> None:
        scaled = [v * SCALE for v in box]
        if radius:
            self.draw.rounded_rectangle(scaled, radius * SCALE, fill=fill)
        else:
            self.draw.rectangle(scaled, fill=fill)

    def ellipse(self, box: tuple[float, float, float, float], fill) -> None:
        self.draw.ellipse([v * SCALE for v in box], fill=fill)

    def circle(self, x: float, y: float, r: float, fill) -> None:
        self.ellipse((x - r, y - r, x + r, y + r), fill)

    def line(self, points: list[Point], fill, width: float) -> None:
        self.draw.line(self._points(points), fill=fill, width=round(width * SCALE), joint="curve")

    def arc(self, box, start: float, end: float, fill, width: float) -> None:
        self.draw.arc([v * SCALE for v in box], start, end, fill=fill, width=round(width * SCALE))

    def garland(self, left: Point, right: Point, sag: float, bulbs: int) -> None:
        """A string of lights hanging between two points."""
        (x1, y1), (x2, y2) = left, right
        points = []
        for i in range(41):
            t = i / 40
            points.append((x1 + (x2 - x1) * t, y1 + (y2 - y1) * t + sag * 4 * t * (1 - t)))
        self.line(points, COFFEE, 3)
        for i in range(1, bulbs + 1):
            t = i / (bulbs + 1)
            x, y = x1 + (x2 - x1) * t, y1 + (y2 - y1) * t + sag * 4 * t * (1 - t)
            self.circle(x, y + 10, 9, BULBS[i % len(BULBS)])

    def heads(self, y: float, count: int, colour, start: float = 40, step: float = 95) -> None:
        """An audience seen from behind: heads and shoulders along the bottom."""
        for i in range(count):
            x = start + i * step + (18 if i % 2 else 0)
            self.ellipse((x - 55, y, x + 55, y + 120), colour)
            self.circle(x, y - 18, 32, colour)

    def jpeg(self) -> bytes:
        image = self.image.resize((WIDTH, HEIGHT), Image.Resampling.LANCZOS)
        output = io.BytesIO()
        image.save(output, format="JPEG", quality=85, optimize=True)
        return output.getvalue()


def _cup(c: Canvas, x: float, y: float) -> None:
    c.ellipse((x - 70, y + 70, x + 90, y + 100), WHITE)  # saucer
    c.rect((x - 45, y, x + 55, y + 80), WHITE, radius=18)
    c.arc((x + 35, y + 12, x + 85, y + 55), 270, 90, WHITE, 10)
    c.ellipse((x - 45, y - 10, x + 55, y + 14), COFFEE)
    for dx in (-10, 20):
        c.arc((x + dx - 15, y - 90, x + dx + 15, y - 50), 90, 270, SAND, 6)
        c.arc((x + dx - 15, y - 60, x + dx + 15, y - 20), 270, 90, SAND, 6)


def _pawn(c: Canvas, x: float, y: float, colour, size: float = 1.0) -> None:
    s = size
    c.polygon(
        [(x - 34 * s, y), (x + 34 * s, y), (x + 16 * s, y - 60 * s), (x - 16 * s, y - 60 * s)],
        colour,
    )
    c.ellipse((x - 40 * s, y - 12 * s, x + 40 * s, y + 10 * s), colour)
    c.ellipse((x - 24 * s, y - 70 * s, x + 24 * s, y - 56 * s), colour)
    c.circle(x, y - 88 * s, 24 * s, colour)


def _king(c: Canvas, x: float, y: float, colour) -> None:
    c.polygon([(x - 44, y), (x + 44, y), (x + 22, y - 120), (x - 22, y - 120)], colour)
    c.ellipse((x - 50, y - 14, x + 50, y + 12), colour)
    c.ellipse((x - 34, y - 136, x + 34, y - 112), colour)
    c.rect((x - 9, y - 190, x + 9, y - 130), colour)
    c.rect((x - 26, y - 176, x + 26, y - 160), colour)


def chess() -> bytes:
    c = Canvas(SAND)
    c.rect((760, 90, 1100, 400), SKY, radius=8)  # window on the village
    c.polygon([(760, 330), (880, 250), (1000, 300), (1100, 240), (1100, 400), (760, 400)], LEAF)
    c.polygon([(900, 300), (940, 270), (980, 300), (980, 340), (900, 340)], CREAM)
    c.line([(930, 90), (930, 400)], CREAM, 12)
    c.line([(760, 245), (1100, 245)], CREAM, 12)
    c.polygon([(0, 560), (1200, 560), (1200, 900), (0, 900)], WOOD)
    c.polygon([(0, 560), (1200, 560), (1200, 585), (0, 585)], WOOD_DARK)
    # The board in perspective: corners far left, far right, near right, near left.
    far_l, far_r, near_r, near_l = (330, 600), (870, 600), (1010, 860), (190, 860)
    c.polygon(
        [
            (far_l[0] - 14, far_l[1] - 8),
            (far_r[0] + 14, far_r[1] - 8),
            (near_r[0] + 20, near_r[1] + 14),
            (near_l[0] - 20, near_l[1] + 14),
        ],
        COFFEE,
    )

    def at(u: float, v: float) -> Point:
        top = (far_l[0] + (far_r[0] - far_l[0]) * u, far_l[1])
        bottom = (near_l[0] + (near_r[0] - near_l[0]) * u, near_l[1])
        return (top[0] + (bottom[0] - top[0]) * v, top[1] + (bottom[1] - top[1]) * v)

    for row in range(8):
        for col in range(8):
            colour = CREAM if (row + col) % 2 == 0 else WOOD_DARK
            u0, u1, v0, v1 = col / 8, (col + 1) / 8, row / 8, (row + 1) / 8
            c.polygon([at(u0, v0), at(u1, v0), at(u1, v1), at(u0, v1)], colour)
    for u, v, colour in [
        (0.31, 0.3, COFFEE),
        (0.56, 0.18, COFFEE),
        (0.44, 0.72, WHITE),
        (0.69, 0.6, WHITE),
        (0.19, 0.85, WHITE),
    ]:
        x, y = at(u, v)
        _pawn(c, x, y, colour, 0.7 + 0.4 * v)
    x, y = at(0.81, 0.3)
    _king(c, x, y, COFFEE)
    x, y = at(0.56, 0.93)
    _king(c, x, y + 10, WHITE)
    _cup(c, 120, 610)
    return c.jpeg()


def concert() -> bytes:
    c = Canvas(COFFEE)
    c.polygon([(520, 0), (700, 0), (1040, 720), (180, 720)], (92, 62, 40))  # spotlight
    c.polygon([(0, 620), (1200, 620), (1200, 900), (0, 900)], WOOD_DARK)
    c.garland((0, 60), (600, 40), 90, 9)
    c.garland((600, 40), (1200, 70), 90, 9)
    # A grand piano, lid open, seen from the side.
    c.polygon(
        [(300, 470), (720, 470), (760, 430), (820, 430), (840, 470), (840, 520), (300, 520)],
        (20, 14, 10),
    )
    c.polygon([(330, 470), (740, 300), (760, 470)], (20, 14, 10))
    for x in (330, 790):
        c.rect((x - 10, 520, x + 10, 640), (20, 14, 10))
    c.rect((300, 500, 420, 512), CREAM)  # keys
    for x in range(306, 420, 14):
        c.rect((x, 500, x + 6, 507), (20, 14, 10))
    # A cello on its spike.
    c.ellipse((900, 420, 1040, 620), BRICK)
    c.ellipse((915, 340, 1025, 480), BRICK)
    c.rect((962, 200, 978, 420), (20, 14, 10))
    c.line([(970, 620), (970, 660)], (20, 14, 10), 6)
    c.line([(1020, 470), (1120, 360)], GOLD, 6)  # the bow
    c.heads(720, 13, (12, 8, 6))
    return c.jpeg()


def first_aid() -> bytes:
    c = Canvas((230, 242, 236))
    c.circle(600, 430, 330, (206, 228, 216))
    # The first aid kit: white cross on green, the sign of first aid in Europe.
    c.rect((250, 330, 750, 720), GREEN, radius=40)
    c.rect((410, 270, 590, 340), GREEN, radius=22)
    c.rect((445, 295, 555, 340), (230, 242, 236), radius=10)
    c.rect((460, 420, 540, 640), WHITE)
    c.rect((390, 490, 610, 570), WHITE)
    # A heart with a heartbeat: the gestures that save lives.
    x, y = 880, 380
    c.circle(x - 60, y, 70, BRICK)
    c.circle(x + 60, y, 70, BRICK)
    c.polygon([(x - 128, y + 25), (x + 128, y + 25), (x, y + 175)], BRICK)
    c.line([(760, 420), (830, 420), (855, 360), (890, 480), (915, 410), (1000, 410)], WHITE, 12)
    c.rect((780, 600, 1000, 760), WHITE, radius=24)  # a defibrillator
    c.polygon(
        [(900, 625), (860, 690), (892, 690), (878, 740), (935, 668), (902, 668), (925, 625)], GREEN
    )
    return c.jpeg()


def _village(c: Canvas, base: float, colour) -> None:
    """Roofs and a church steeple against the sky."""
    c.polygon([(0, base), (0, base - 80), (90, base - 150), (180, base - 80), (180, base)], colour)
    c.polygon(
        [(160, base), (160, base - 110), (250, base - 180), (340, base - 110), (340, base)], colour
    )
    c.rect((380, base - 260, 440, base), colour)
    c.polygon([(370, base - 260), (410, base - 380), (450, base - 260)], colour)
    c.polygon(
        [(430, base), (430, base - 90), (520, base - 160), (610, base - 90), (610, base)], colour
    )
    c.polygon(
        [(900, base), (900, base - 100), (1000, base - 170), (1100, base - 100), (1100, base)],
        colour,
    )
    c.rect((1080, base - 70, 1200, base), colour)


def tour() -> bytes:
    c = Canvas(NIGHT)
    for x, y in [(80, 80), (240, 150), (420, 60), (700, 110), (980, 70), (1130, 160), (560, 190)]:
        c.circle(x, y, 4, CREAM)
    c.circle(1050, 140, 55, (250, 240, 200))
    c.circle(1072, 125, 50, NIGHT)
    _village(c, 640, (18, 24, 50))
    # The open-air screen, showing a summer landscape.
    c.rect((620, 270, 640, 700), (40, 40, 40))
    c.rect((1080, 270, 1100, 700), (40, 40, 40))
    c.rect((600, 230, 1120, 560), WHITE)
    c.rect((625, 255, 1095, 535), SKY)
    c.polygon([(625, 470), (760, 390), (900, 450), (1095, 380), (1095, 535), (625, 535)], LEAF)
    c.circle(1000, 320, 34, GOLD)
    c.polygon([(0, 640), (1200, 640), (1200, 900), (0, 900)], (24, 50, 40))
    c.garland((0, 250), (600, 240), 80, 8)
    c.heads(760, 13, (8, 12, 28))
    return c.jpeg()


def _frame(c: Canvas, x: float, y: float, angle: float, scene: Callable[[float, float], None]):
    """A polaroid pinned at a slight angle (drawn straight, the angle moves its corners)."""
    w, h = 300, 340
    corners = [(-w / 2, -h / 2), (w / 2, -h / 2), (w / 2, h / 2), (-w / 2, h / 2)]
    cos, sin = math.cos(math.radians(angle)), math.sin(math.radians(angle))
    c.polygon(
        [(x + px * cos - py * sin + 8, y + px * sin + py * cos + 10) for px, py in corners],
        (200, 184, 160),
    )
    c.polygon([(x + px * cos - py * sin, y + px * sin + py * cos) for px, py in corners], WHITE)
    scene(x, y - 25)
    c.circle(x, y - h / 2 + 14, 12, BRICK)


def stories() -> bytes:
    c = Canvas((236, 222, 200))

    def houses(x: float, y: float) -> None:
        c.rect((x - 125, y - 115, x + 125, y + 105), SKY)
        c.rect((x - 125, y + 40, x + 125, y + 105), LEAF)
        c.polygon(
            [
                (x - 90, y + 60),
                (x - 90, y - 10),
                (x - 40, y - 60),
                (x + 10, y - 10),
                (x + 10, y + 60),
            ],
            CREAM,
        )
        c.polygon([(x - 100, y - 5), (x - 40, y - 65), (x + 20, y - 5)], BRICK)
        c.rect((x + 40, y - 70, x + 70, y + 60), SAND)
        c.polygon([(x + 34, y - 70), (x + 55, y - 115), (x + 76, y - 70)], WOOD_DARK)

    def table(x: float, y: float) -> None:
        c.rect((x - 125, y - 115, x + 125, y + 105), (250, 232, 200))
        c.rect((x - 100, y + 10, x + 100, y + 30), WOOD)
        for dx in (-70, 0, 70):
            c.circle(x + dx, y - 30, 26, COFFEE)
            c.ellipse((x + dx - 40, y - 5, x + dx + 40, y + 60), COFFEE)

    def field(x: float, y: float) -> None:
        c.rect((x - 125, y - 115, x + 125, y + 105), (255, 226, 170))
        c.circle(x + 60, y - 50, 30, GOLD)
        c.polygon(
            [
                (x - 125, y + 20),
                (x, y - 30),
                (x + 125, y + 30),
                (x + 125, y + 105),
                (x - 125, y + 105),
            ],
            (200, 160, 70),
        )
        for dx in range(-110, 120, 40):
            c.line([(x + dx, y + 105), (x + dx + 20, y + 30)], WOOD, 5)

    _frame(c, 250, 330, -6, houses)
    _frame(c, 600, 300, 3, table)
    _frame(c, 950, 340, -2, field)
    # A film camera on the table below.
    c.polygon([(0, 640), (1200, 640), (1200, 900), (0, 900)], WOOD)
    c.rect((470, 660, 760, 840), COFFEE, radius=24)
    c.rect((500, 630, 580, 670), COFFEE, radius=8)
    c.circle(615, 750, 70, (30, 30, 30))
    c.circle(615, 750, 45, (70, 90, 110))
    c.circle(600, 735, 12, SKY)
    return c.jpeg()


def nutrition() -> bytes:
    c = Canvas((226, 238, 214))
    c.polygon([(0, 560), (1200, 560), (1200, 900), (0, 900)], WOOD)
    c.rect((120, 600, 520, 820), (214, 176, 120), radius=20)  # chopping board
    for i in range(3):  # carrots
        x = 170 + i * 110
        c.polygon([(x, 650), (x + 60, 650), (x + 30, 800)], (230, 126, 34))
        c.polygon([(x + 10, 650), (x + 30, 590), (x + 50, 650)], LEAF)
    c.ellipse((620, 520, 1080, 700), WHITE)  # the bowl
    for x, y, r, colour in [
        (700, 520, 70, BRICK),
        (820, 490, 75, (240, 160, 40)),
        (950, 520, 68, (160, 190, 60)),
        (760, 575, 60, (190, 40, 40)),
        (900, 585, 62, (240, 200, 60)),
    ]:
        c.circle(x, y, r, colour)
    c.polygon([(640, 610), (1060, 610), (990, 760), (710, 760)], CREAM)
    c.rect((1050, 160, 1140, 420), CREAM, radius=20)  # a jug of water
    c.rect((1060, 250, 1130, 410), SKY, radius=14)
    _cup(c, 420, 420)
    return c.jpeg()


def _walker(c: Canvas, x: float, ground: float, colour, stride: float) -> None:
    """A walker with Nordic poles, in the flat style of road signs."""
    hip = (x, ground - 180)
    neck = (x + 20, ground - 330)
    c.circle(x + 30, ground - 380, 38, colour)
    c.line([hip, neck], colour, 46)
    c.line([hip, (x - stride, ground - 90), (x - stride - 20, ground)], colour, 34)
    c.line([hip, (x + stride, ground - 95), (x + stride + 30, ground)], colour, 34)
    c.line([(neck[0], neck[1] + 20), (x + 70, ground - 230), (x + 95, ground - 200)], colour, 26)
    c.line([(neck[0], neck[1] + 20), (x - 40, ground - 230), (x - 60, ground - 200)], colour, 26)
    c.line([(x + 95, ground - 210), (x + 150, ground)], WOOD_DARK, 8)
    c.line([(x - 60, ground - 210), (x - 110, ground)], WOOD_DARK, 8)


def activity() -> bytes:
    c = Canvas(SKY)
    c.circle(1020, 150, 80, GOLD)
    c.polygon(
        [(0, 520), (300, 420), (640, 500), (960, 400), (1200, 470), (1200, 900), (0, 900)], LEAF
    )
    c.polygon([(420, 900), (560, 560), (680, 560), (900, 900)], (222, 200, 160))  # the path
    for x, y in [(150, 520), (1080, 500)]:  # trees
        c.rect((x - 18, y, x + 18, y + 140), WOOD_DARK)
        c.circle(x, y - 40, 95, GREEN)
    _walker(c, 520, 840, COFFEE, 60)
    _walker(c, 760, 800, BRICK, 50)
    return c.jpeg()


def meal() -> bytes:
    c = Canvas((250, 236, 214))
    c.garland((0, 90), (1200, 90), 70, 14)
    c.polygon([(60, 420), (1140, 420), (1200, 900), (0, 900)], WHITE)  # tablecloth
    c.polygon([(60, 420), (1140, 420), (1160, 560), (40, 560)], (245, 240, 232))
    for x in (200, 460, 740, 1000):  # places laid
        c.ellipse((x - 95, 600, x + 95, 700), (230, 222, 210))
        c.ellipse((x - 70, 612, x + 70, 688), CREAM)
        c.ellipse((x - 40, 630, x + 40, 670), (200, 120, 60))
        c.rect((x - 125, 600, x - 112, 700), (170, 170, 170), radius=6)
        c.rect((x + 112, 600, x + 125, 700), (170, 170, 170), radius=6)
        c.rect((x + 60, 520, x + 100, 590), (200, 228, 236), radius=8)
    c.ellipse((470, 430, 730, 520), WOOD)  # bread basket
    for dx in (-70, 0, 70):
        c.ellipse((600 + dx - 45, 420, 600 + dx + 45, 480), (214, 160, 90))
    c.rect((860, 380, 1040, 500), BRICK, radius=30)  # the pot
    c.rect((840, 370, 1060, 392), COFFEE, radius=10)
    c.rect((140, 330, 180, 500), (110, 30, 40), radius=10)  # a bottle
    c.rect((150, 290, 170, 340), (110, 30, 40))
    return c.jpeg()


def guinguette() -> bytes:
    c = Canvas((246, 196, 150))
    c.rect((0, 0, 1200, 300), (236, 170, 130))
    c.circle(980, 300, 90, GOLD)
    c.polygon([(0, 560), (1200, 560), (1200, 900), (0, 900)], (120, 150, 90))
    for x, y in [(110, 380), (1100, 360)]:
        c.rect((x - 20, y, x + 20, y + 200), WOOD_DARK)
        c.circle(x, y - 50, 110, GREEN)
    c.garland((110, 330), (600, 260), 80, 8)
    c.garland((600, 260), (1100, 320), 80, 8)
    # A vintage van with its counter open and a striped awning.
    c.rect((300, 380, 900, 700), (92, 150, 160), radius=70)
    c.rect((300, 380, 900, 440), (120, 176, 186), radius=60)
    c.rect((380, 470, 780, 600), (60, 40, 30), radius=10)
    for i in range(8):
        colour = CREAM if i % 2 == 0 else BRICK
        c.polygon(
            [(370 + i * 52, 450), (422 + i * 52, 450), (430 + i * 52, 500), (378 + i * 52, 500)],
            colour,
        )
    c.rect((360, 596, 800, 620), WOOD)
    for x, colour in [(430, GOLD), (520, BRICK), (610, (140, 200, 160))]:
        c.rect((x, 550, x + 40, 596), colour, radius=6)
    c.rect((800, 470, 880, 560), (200, 228, 236), radius=14)  # cab window
    for x in (420, 780):
        c.circle(x, 700, 62, (30, 30, 30))
        c.circle(x, 700, 28, (170, 170, 170))
    for x in (160, 1000):  # a table and its stools
        c.ellipse((x - 60, 700, x + 60, 730), WOOD)
        c.rect((x - 8, 720, x + 8, 820), WOOD_DARK)
    return c.jpeg()


# (kind slug, drawing, what it shows for people who do not see it)
PICTURES: list[tuple[str, Callable[[], bytes], str]] = [
    ("chess-workshop", chess, "Un échiquier en pleine partie et une tasse de café sur une table"),
    ("concert-de-poche", concert, "Un piano à queue et un violoncelle éclairés devant le public"),
    (
        "first-aid-training",
        first_aid,
        "Une trousse de premiers secours, un cœur et un défibrillateur",
    ),
    ("tournee-des-villages", tour, "Un écran de cinéma en plein air devant un village, la nuit"),
    ("raconte-moi-ton-village", stories, "Trois photos du village épinglées et un appareil photo"),
    ("nutrition-workshop", nutrition, "Une coupe de fruits et des carottes sur une planche"),
    ("physical-activity", activity, "Deux marcheurs avec des bâtons sur un chemin de campagne"),
    ("shared-meal", meal, "Une grande table dressée avec du pain et une marmite"),
    ("guinguette-mobile", guinguette, "Un camion vintage ouvert en buvette sous des guirlandes"),
]
