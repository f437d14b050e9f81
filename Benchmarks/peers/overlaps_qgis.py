"""QGIS's processing algorithm "Overlap analysis" (native:calculatevectoroverlaps), as a QGIS
user runs it for `landwatch coverage` (towns overlapped by patches) and `landwatch overlap
--summary` (plots overlapped by sensitive parcels). "Fix geometries" (native:fixgeometries) runs
on both layers first: without it the algorithm stops at the first invalid polygon, and told to
skip invalid features it drops them. Runs headless (QT_QPA_PLATFORM=offscreen) on Debian's
python3-qgis.
Usage: overlaps_qgis.py INPUT OVERLAY OUT.csv
"""
import os
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.append("/usr/share/qgis/python/plugins")

from qgis.core import QgsApplication, QgsProcessingContext, QgsProcessingFeedback, QgsVectorLayer  # noqa: E402

t0 = time.perf_counter()
QgsApplication.setPrefixPath("/usr", True)
app = QgsApplication([], False)
app.initQgis()
from processing.core.Processing import Processing  # noqa: E402

Processing.initialize()
import processing  # noqa: E402

input_path, overlay_path, out_path = sys.argv[1:4]
context = QgsProcessingContext()
feedback = QgsProcessingFeedback()


def fixed(path):
    layer = QgsVectorLayer(path, os.path.basename(path), "ogr")
    if not layer.isValid():
        sys.exit(f"QGIS cannot open {path}")
    return processing.run("native:fixgeometries", {"INPUT": layer, "OUTPUT": "memory:"},
                          context=context, feedback=feedback)["OUTPUT"]


started = time.perf_counter()
source, overlay = fixed(input_path), fixed(overlay_path)
result = processing.run("native:calculatevectoroverlaps",
                        {"INPUT": source, "LAYERS": [overlay], "OUTPUT": out_path},
                        context=context, feedback=feedback)
rows = QgsVectorLayer(result["OUTPUT"], "out", "ogr").featureCount()
print(f"{rows} features in {time.perf_counter() - started:.2f} s "
      f"({started - t0:.2f} s starting QGIS)", file=sys.stderr)
app.exitQgis()
