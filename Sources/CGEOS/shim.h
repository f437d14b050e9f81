#define GEOS_USE_ONLY_R_API
#include <geos_c.h>

/* LandWatch needs GEOS 3.11 or newer (GEOSGeom_transformXY_r). */
#if GEOS_VERSION_MAJOR < 3 || (GEOS_VERSION_MAJOR == 3 && GEOS_VERSION_MINOR < 11)
#error "LandWatch needs GEOS 3.11 or newer (Debian 12's libgeos-dev has 3.11)"
#endif
