"""Colours stay apart for readers with colour-vision deficiency: every categorical palette is
simulated for protanopia, deuteranopia and tritanopia (Machado, Oliveira & Fernandes 2009,
severity 1.0) and each pair of categories must remain distinguishable (CIE76 ΔE ≥ 8)."""

import itertools

import numpy as np
import pytest

from components.country_page import BAND_COLOURS
from components.palette import ATTENDANCE_COLOURS, BODY_COLOURS, GRID_CATEGORIES
from components.signatures_matrix import SIGNATURE_CATEGORIES

MACHADO = {
    "protanopia": [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216],
                   [-0.003882, -0.048116, 1.051998]],
    "deuteranopia": [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
                     [-0.011820, 0.042940, 0.968881]],
    "tritanopia": [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602],
                   [0.004733, 0.691367, 0.303900]],
}
MIN_DELTA_E = 8.0


def _linear(hex_colour: str) -> np.ndarray:
    rgb = np.array([int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)])
    return np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)


def _lab(linear_rgb: np.ndarray) -> np.ndarray:
    m = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
    xyz = m @ np.clip(linear_rgb, 0, 1) / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def delta_e(a: str, b: str, vision: str | None = None) -> float:
    la, lb = _linear(a), _linear(b)
    if vision:
        m = np.array(MACHADO[vision])
        la, lb = m @ la, m @ lb
    return float(np.linalg.norm(_lab(la) - _lab(lb)))


PALETTES = {
    "councils": list(BODY_COLOURS.values()),
    "attendance": list(ATTENDANCE_COLOURS.values()),
    "participation grid": [c for _, c in GRID_CATEGORIES],
    "signatures": [c for _, c in SIGNATURE_CATEGORIES],
    "membership bands": [c for c in BAND_COLOURS.values() if c] + ["#FFFFFF"],
}


@pytest.mark.parametrize("name", sorted(PALETTES))
@pytest.mark.parametrize("vision", [None, *MACHADO])
def test_categories_stay_distinguishable(name, vision):
    colours = list(dict.fromkeys(PALETTES[name]))
    close = [(a, b, round(delta_e(a, b, vision), 1))
             for a, b in itertools.combinations(colours, 2) if delta_e(a, b, vision) < MIN_DELTA_E]
    assert not close, f"{name} under {vision or 'normal vision'}: {close}"


def test_the_check_catches_a_red_green_pair():
    red, green = "#D62728", "#2CA02C"  # matplotlib's default red and green
    assert delta_e(red, green) > 50
    assert delta_e(red, green, "deuteranopia") < MIN_DELTA_E
