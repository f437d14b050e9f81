#!/usr/bin/env python3
"""Independent reference for the LandWatch monthly town air-quality ranking (month 2026-10).

Computed with pandas/geopandas/pyproj only (no LandWatch code).
Usage:  python3 air_reference.py   (writes air_reference.json next to this file)

Inputs
  readings  Data/air_readings.csv  station,time,pollutant,value; time `YYYY-MM-DD` (daily value) or
            `YYYY-MM-DDTHH:MM` (hourly value); pollutant in pm25, pm10, tsp, dustfall; an empty value
            is missing and the row is skipped before anything is counted
  stations  Data/air_stations.csv  station,name,lon,lat (EPSG:4326), reprojected to EPSG:4527
  zones     Data/daxing_towns.gpkg (EPSG:4527), name field `name`; a station belongs to the town whose
            polygon contains it (shapely `contains`); all 22 towns are output, even without stations

Semantics (GB 3095-2012 data validity)
  daily mean   per (station, pollutant, date). Hourly rows: mean of the hourly values, valid only when
               the number of DISTINCT hours that day is >= 20 (pm25, pm10) or >= 24 (tsp). A date-only
               row is a daily mean as given, always valid (it would win over hourly rows of the same day).
               dustfall rows are monthly values (one per station and month, any day of the month).
  station month  pm25/pm10 valid with >= 27 valid daily means in M (>= 25 in February), tsp with >= 5;
               value = mean of its valid daily means in M. dustfall: the station's value in M.
  zone month   mean of the monthly means of the zone's stations valid for M; valid = >= 1 such station;
               stations = their number; valid_days = max number of valid daily means in M over all the
               zone's stations (0 if none), null for dustfall.
  M = 2026-10  mean (null if not valid); rank among valid zones, ascending on the mean rounded to the
               printed decimals (1 for pm25/pm10/tsp, 2 for dustfall) by GB/T 8170 (half to even, on
               the value taken to 9 decimals), ties share the lowest rank (pandas rank method="min").
  prev_month   zone mean for 2026-09; last_year for 2025-10 (same rules, null if not valid);
               mom_pct = 100*(mean-prev_month)/prev_month, yoy_pct = 100*(mean-last_year)/last_year,
               null when either operand is null.
  ytd_mean     per station the mean of ALL its valid daily means 2026-01-01..2026-10-31 (whether or not
               their month was valid); dustfall: mean of its monthly values Jan-Oct 2026. Zone: mean of
               the station ytd means that exist, null if none. ytd_rank like rank, among zones with one.
  target       5.1 for dustfall, null otherwise; over_target = mean > target when both exist, null when
               the target exists and mean is null, false when there is no target.
Output: list of 88 rows (22 zones x 4 pollutants), floats rounded to 9 decimals (no other rounding),
sorted by pollutant (pm25, pm10, tsp, dustfall), rank (nulls last), zone name.
"""
import json
from decimal import Decimal, ROUND_HALF_EVEN
import math
import os
import sys

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pyproj
import shapely

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.normpath(os.path.join(HERE, "..", "..", "Data"))
READINGS = os.path.join(DATA, "air_readings.csv")
STATIONS = os.path.join(DATA, "air_stations.csv")
TOWNS = os.path.join(DATA, "daxing_towns.gpkg")
OUT = os.path.join(HERE, "air_reference.json")

MONTH = "2026-10"
PREV_MONTH = "2026-09"
LAST_YEAR = "2025-10"
YTD_FROM, YTD_TO = "2026-01-01", "2026-10-31"

POLLUTANTS = ("pm25", "pm10", "tsp", "dustfall")
DECIMALS = {"pm25": 1, "pm10": 1, "tsp": 1, "dustfall": 2}
MIN_HOURS = {"pm25": 20, "pm10": 20, "tsp": 24}
TARGET = {"dustfall": 5.1}
KEYS = ("zone", "pollutant", "stations", "valid_days", "valid", "mean", "rank", "prev_month", "mom_pct",
        "last_year", "yoy_pct", "ytd_mean", "ytd_rank", "target", "over_target")


# ---------------------------------------------------------------- helpers
def min_days(pollutant, month):
    if pollutant == "tsp":
        return 5
    return 25 if month.endswith("-02") else 27


def printed(x, d):
    """x rounded to d decimals by GB/T 8170-2008 (数值修约: 四舍六入五成双, half to even), the
    value first taken to 9 decimals so that float noise around a midpoint (4.1249999999) counts
    as the midpoint it stands for."""
    q = Decimal(1).scaleb(-d)
    return float(Decimal(f"{x:.9f}").quantize(q, rounding=ROUND_HALF_EVEN))


def r9(x):
    return None if x is None else round(float(x), 9)


def pct(a, b):
    if a is None or b is None or b == 0:
        return None
    return 100.0 * (a - b) / b


def rank_min(values, d):
    """{key: rank} for the non-null values, ascending on the printed value, method='min'."""
    s = pd.Series({k: printed(v, d) for k, v in values.items() if v is not None}, dtype="float64")
    if s.empty:
        return {}
    return {k: int(r) for k, r in s.rank(method="min").items()}


def versions():
    return {
        "python": sys.version.split()[0],
        "pandas": pd.__version__,
        "numpy": np.__version__,
        "geopandas": gpd.__version__,
        "shapely": shapely.__version__,
        "GEOS": shapely.geos_version_string,
        "pyproj": pyproj.__version__,
        "PROJ": pyproj.proj_version_str,
        "pyogrio": pyogrio.__version__,
    }


# ---------------------------------------------------------------- loading
def load_readings():
    df = pd.read_csv(READINGS, dtype=str, keep_default_na=False)
    assert list(df.columns) == ["station", "time", "pollutant", "value"], df.columns
    df["station"] = df.station.str.strip()
    df["time"] = df.time.str.strip()
    df["pollutant"] = df.pollutant.str.strip()
    stats = {"rows": len(df)}
    bad_p = sorted(set(df.pollutant) - set(POLLUTANTS))
    assert not bad_p, f"unknown pollutants {bad_p}"
    empty = df.value.str.strip() == ""
    stats["empty_values"] = int(empty.sum())
    df = df[~empty].copy()
    df["value"] = pd.to_numeric(df.value, errors="raise").astype("float64")
    is_date = df.time.str.fullmatch(r"\d{4}-\d{2}-\d{2}")
    is_hour = df.time.str.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
    assert (is_date | is_hour).all(), df[~(is_date | is_hour)].head()
    # validate real calendar dates / clock times
    pd.to_datetime(df.time[is_date], format="%Y-%m-%d")
    pd.to_datetime(df.time[is_hour], format="%Y-%m-%dT%H:%M")
    df["hourly"] = is_hour
    df["date"] = df.time.str[:10]
    df["month"] = df.time.str[:7]
    df["hour"] = df.time.str[11:13].where(is_hour)
    stats["daily_rows"] = int(is_date.sum())
    stats["hourly_rows"] = int(is_hour.sum())
    stats["hourly_minutes_not_00"] = int((df.time.str[14:16][is_hour] != "00").sum())
    stats["duplicate_keys"] = int(df.duplicated(["station", "time", "pollutant"]).sum())
    assert not (df.hourly & (df.pollutant == "dustfall")).any(), "hourly dustfall rows"
    return df, stats


def station_zones():
    towns = gpd.read_file(TOWNS)
    assert towns.crs.to_epsg() == 4527, towns.crs
    assert towns.name.is_unique and len(towns) == 22, len(towns)
    st = pd.read_csv(STATIONS, dtype={"station": str, "name": str})
    assert st.station.is_unique
    pts = gpd.GeoSeries(gpd.points_from_xy(st.lon, st.lat), crs=4326).to_crs(4527)
    zone_of = {}
    for sid, p in zip(st.station, pts):
        hit = [n for n, g in zip(towns.name, towns.geometry) if g.contains(p)]
        assert len(hit) <= 1, (sid, hit)
        zone_of[sid] = hit[0] if hit else None
    boundary_m = {sid: float(towns.boundary.distance(p).min()) for sid, p in zip(st.station, pts)}
    return list(towns.name), zone_of, dict(zip(st.station, st.name)), boundary_m


# ---------------------------------------------------------------- computation
def daily_means(df):
    """valid daily means per (station, pollutant, date) for pm25/pm10/tsp, with n_hours/source."""
    x = df[df.pollutant != "dustfall"]
    d = x[~x.hourly].groupby(["station", "pollutant", "date"], as_index=False).agg(
        value=("value", "mean"), n=("value", "size"))
    assert (d.n == 1).all(), "several daily rows for one (station, pollutant, date)"
    d = d.drop(columns="n").assign(source="daily", hours=np.nan)
    h = x[x.hourly].groupby(["station", "pollutant", "date"], as_index=False).agg(
        value=("value", "mean"), hours=("hour", "nunique"))
    h["source"] = "hourly"
    # the daily value wins over hourly rows of the same day
    h = h.merge(d[["station", "pollutant", "date"]], how="left", indicator=True)
    overridden = int((h._merge == "both").sum())
    h = h[h._merge == "left_only"].drop(columns="_merge")
    h["valid"] = h.hours >= h.pollutant.map(MIN_HOURS)
    d["valid"] = True
    allday = pd.concat([d, h], ignore_index=True)
    allday["month"] = allday.date.str[:7]
    return allday, overridden


def station_month(days, dust, month):
    """{(pollutant, station): (valid, value, n_valid_days)} for month."""
    out = {}
    v = days[days.valid & (days.month == month)]
    g = v.groupby(["pollutant", "station"]).value.agg(["mean", "size"])
    for (p, s), r in g.iterrows():
        n = int(r["size"])
        out[(p, s)] = (n >= min_days(p, month), float(r["mean"]), n)
    dm = dust[dust.month == month]
    for s, val in zip(dm.station, dm.value):
        out[("dustfall", s)] = (True, float(val), None)
    return out


def zone_month(sm, zones, members, pollutant):
    res = {}
    for z in zones:
        vals, ndays = [], []
        for s in members[z]:
            valid, val, n = sm.get((pollutant, s), (False, None, 0))
            if valid:
                vals.append(val)
            ndays.append(n or 0)
        res[z] = {
            "mean": float(np.mean(vals)) if vals else None,
            "stations": len(vals),
            "valid_days": None if pollutant == "dustfall" else max(ndays, default=0),
        }
    return res


def main():
    df, stats = load_readings()
    zones, zone_of, st_names, boundary_m = station_zones()
    members = {z: sorted(s for s, zz in zone_of.items() if zz == z) for z in zones}
    unassigned = sorted(s for s, z in zone_of.items() if z is None)
    unknown = sorted(set(df.station) - set(zone_of))
    df = df[df.station.isin(zone_of)]

    days, overridden = daily_means(df)
    dust = df[df.pollutant == "dustfall"][["station", "date", "month", "value"]]
    dup_dust = dust.duplicated(["station", "month"], keep=False)
    assert not dup_dust.any(), dust[dup_dust]

    sm = {m: station_month(days, dust, m) for m in (MONTH, PREV_MONTH, LAST_YEAR)}

    # year to date, per station
    ytd_station = {}
    yd = days[days.valid & (days.date >= YTD_FROM) & (days.date <= YTD_TO)]
    for (p, s), v in yd.groupby(["pollutant", "station"]).value.mean().items():
        ytd_station[(p, s)] = float(v)
    ydu = dust[(dust.month >= YTD_FROM[:7]) & (dust.month <= YTD_TO[:7])]
    for s, v in ydu.groupby("station").value.mean().items():
        ytd_station[("dustfall", s)] = float(v)

    rows, near_ties = [], []
    for p in POLLUTANTS:
        cur = zone_month(sm[MONTH], zones, members, p)
        prev = zone_month(sm[PREV_MONTH], zones, members, p)
        ly = zone_month(sm[LAST_YEAR], zones, members, p)
        ytd = {}
        for z in zones:
            v = [ytd_station[(p, s)] for s in members[z] if (p, s) in ytd_station]
            ytd[z] = float(np.mean(v)) if v else None
        d = DECIMALS[p]
        rank = rank_min({z: cur[z]["mean"] for z in zones}, d)
        ytd_rank = rank_min(ytd, d)
        # diagnostics: means within 1e-9 of a rounding midpoint (rank would hinge on float noise)
        for label, vals in (("mean", {z: cur[z]["mean"] for z in zones}), ("ytd_mean", ytd)):
            for z, v in vals.items():
                if v is None:
                    continue
                frac = abs(v * 10 ** d - math.floor(v * 10 ** d) - 0.5)
                if frac < 1e-6 or printed(v, d) != float(np.round(v, d)):
                    near_ties.append((p, label, z, v))
        target = TARGET.get(p)
        for z in zones:
            mean = cur[z]["mean"]
            if target is None:
                over = False
            elif mean is None:
                over = None
            else:
                over = bool(mean > target)
            row = {
                "zone": z,
                "pollutant": p,
                "stations": cur[z]["stations"],
                "valid_days": cur[z]["valid_days"],
                "valid": mean is not None,
                "mean": r9(mean),
                "rank": rank.get(z),
                "prev_month": r9(prev[z]["mean"]),
                "mom_pct": r9(pct(mean, prev[z]["mean"])),
                "last_year": r9(ly[z]["mean"]),
                "yoy_pct": r9(pct(mean, ly[z]["mean"])),
                "ytd_mean": r9(ytd[z]),
                "ytd_rank": ytd_rank.get(z),
                "target": r9(target),
                "over_target": over,
            }
            assert tuple(row) == KEYS
            rows.append(row)

    order = {p: i for i, p in enumerate(POLLUTANTS)}
    rows.sort(key=lambda r: (order[r["pollutant"]], r["rank"] is None,
                             r["rank"] if r["rank"] is not None else 0, r["zone"]))
    assert len(rows) == 4 * len(zones) == 88

    with open(OUT, "w", encoding="utf-8") as f:
        json.dump(rows, f, ensure_ascii=False, indent=1)
        f.write("\n")

    # ------------------------------------------------------------ stdout summary
    print("versions", json.dumps(versions()))
    print("readings", json.dumps(stats), "daily-overridden hourly days:", overridden)
    print("stations", len(zone_of), "outside every town:", unassigned, "unknown in readings:", unknown,
          "min distance to a town boundary (m): %.1f" % min(boundary_m.values()))
    print("zones without stations:", [z for z in zones if not members[z]])
    hd = days[days.source == "hourly"]
    print("hourly days %d, invalid (too few distinct hours) %d" % (len(hd), int((~hd.valid).sum())))
    for m in (LAST_YEAR, PREV_MONTH, MONTH):
        inv = sorted(f"{p}/{s}({n})" for (p, s), (ok, _, n) in sm[m].items() if not ok)
        print(f"invalid station months {m}: {inv if inv else 'none'}")
    for p in POLLUTANTS:
        pr = [r for r in rows if r["pollutant"] == p]
        inv = [r["zone"] for r in pr if not r["valid"]]
        print(f"{p}: invalid zones ({len(inv)}): {', '.join(inv) if inv else 'none'}")
        if p in TARGET:
            over = [f"{r['zone']} {r['mean']:.2f}" for r in pr if r["over_target"]]
            print(f"{p}: over target {TARGET[p]} ({len(over)}): {', '.join(over) if over else 'none'}")
    print("values within 1e-6 of a rounding midpoint:", near_ties if near_ties else "none")
    print(f"wrote {OUT} ({len(rows)} rows)")


if __name__ == "__main__":
    main()
