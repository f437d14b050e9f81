#include <gdal_version.h>
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>
#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_string.h>
#include <cpl_vsi.h>
#include <gdal_version.h>

/* LandWatch is built and tested with GDAL 3.6 (Debian 12); older releases lack what it uses. */
#if GDAL_VERSION_NUM < GDAL_COMPUTE_VERSION(3, 6, 0)
#error "LandWatch needs GDAL 3.6 or newer (Debian 12's libgdal-dev has 3.6)"
#endif
