import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

FONT = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"


def draw_table(cells: dict[tuple[int, int], tuple[str, int, int]], n_rows: int, n_cols: int,
               cell_size=(150, 56), origin=(60, 80), font_size=26, page=(900, 700)) -> Image.Image:
    """A white page with one ruled table; `cells` maps (row, col) → (text, rowspan, colspan)."""
    image = Image.new("RGB", page, "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(FONT, font_size)
    w, h = cell_size
    ox, oy = origin
    for (r, c), (text, rowspan, colspan) in cells.items():
        box = (ox + c * w, oy + r * h, ox + (c + colspan) * w, oy + (r + rowspan) * h)
        draw.rectangle(box, outline="black", width=2)
        cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
        draw.text((cx, cy), text, fill="black", font=font, anchor="mm")
    return image


@pytest.fixture()
def table_image() -> Image.Image:
    # 自然人 spans two rows; the numbers sit in a 3×3 grid.
    cells = {(0, 0): ("自然人", 2, 1), (0, 1): ("24", 1, 1), (0, 2): ("7", 1, 1),
             (1, 1): ("180", 1, 1), (1, 2): ("5", 1, 1),
             (2, 0): ("总计", 1, 1), (2, 1): ("204", 1, 1), (2, 2): ("12", 1, 1)}
    return draw_table(cells, 3, 3)


def as_array(image: Image.Image) -> np.ndarray:
    return np.asarray(image.convert("RGB"))
