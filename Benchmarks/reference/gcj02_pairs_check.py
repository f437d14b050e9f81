#!/usr/bin/env python3
"""Check gcj02_pairs.json (published WGS84 -> GCJ-02 pairs) against the standard forward formula.

    python3 gcj02_pairs_check.py
"""
import json
import math
import os

A = 6378245.0
EE = 0.00669342162296594323


def _tlat(x, y):
    r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    r += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    r += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    r += (160.0 * math.sin(y / 12.0 * math.pi) + 320.0 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return r


def _tlon(x, y):
    r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    r += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    r += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    r += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return r


def wgs2gcj(lon, lat):
    dlat = _tlat(lon - 105.0, lat - 35.0)
    dlon = _tlon(lon - 105.0, lat - 35.0)
    radlat = lat / 180.0 * math.pi
    magic = 1 - EE * math.sin(radlat) ** 2
    sqrtmagic = math.sqrt(magic)
    dlat = (dlat * 180.0) / ((A * (1 - EE)) / (magic * sqrtmagic) * math.pi)
    dlon = (dlon * 180.0) / (A / sqrtmagic * math.cos(radlat) * math.pi)
    return lon + dlon, lat + dlat


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    pairs = json.load(open(os.path.join(here, "gcj02_pairs.json")))
    worst = 0.0
    for p in pairs:
        glon, glat = wgs2gcj(p["wgs_lon"], p["wgs_lat"])
        dlon, dlat = glon - p["gcj_lon"], glat - p["gcj_lat"]
        worst = max(worst, abs(dlon), abs(dlat))
        print(f"{p['wgs_lon']:.7f},{p['wgs_lat']:.7f} -> {glon:.14f},{glat:.14f}  "
              f"dlon={dlon:+.2e} dlat={dlat:+.2e} deg  (shift {glon - p['wgs_lon']:+.6f},"
              f"{glat - p['wgs_lat']:+.6f})")
    print(f"max |diff| = {worst:.3e} deg")


if __name__ == "__main__":
    main()
