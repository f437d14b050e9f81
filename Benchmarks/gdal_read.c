/* The baseline for `make bench`: GDAL alone reading every feature of a layer, fields and
 * geometry (exported to WKB, as any consumer must), nothing else. */
#include <gdal.h>
#include <ogr_api.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
    if (argc < 2) { fprintf(stderr, "usage: gdal_read FILE\n"); return 2; }
    GDALAllRegister();
    GDALDatasetH ds = GDALOpenEx(argv[1], GDAL_OF_VECTOR, NULL, NULL, NULL);
    if (!ds) return 1;
    OGRLayerH layer = GDALDatasetGetLayer(ds, 0);
    OGRFeatureH f;
    long n = 0, bytes = 0;
    unsigned char *buf = NULL;
    int cap = 0;
    while ((f = OGR_L_GetNextFeature(layer)) != NULL) {
        int fields = OGR_F_GetFieldCount(f);
        for (int i = 0; i < fields; i++) bytes += (long)OGR_F_GetFieldAsString(f, i)[0];
        OGRGeometryH g = OGR_F_GetGeometryRef(f);
        if (g) {
            int size = OGR_G_WkbSize(g);
            if (size > cap) { cap = size * 2; buf = realloc(buf, cap); }
            OGR_G_ExportToWkb(g, wkbNDR, buf);
            bytes += size;
        }
        OGR_F_Destroy(f);
        n++;
    }
    printf("%ld features, %ld bytes\n", n, bytes);
    GDALClose(ds);
    free(buf);
    return 0;
}
