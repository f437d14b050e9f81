#include <proj.h>
#include <geodesic.h>

/* LandWatch is built and tested with PROJ 9.1 (Debian 12). */
#if PROJ_VERSION_MAJOR < 9 || (PROJ_VERSION_MAJOR == 9 && PROJ_VERSION_MINOR < 1)
#error "LandWatch needs PROJ 9.1 or newer (Debian 12's libproj-dev has 9.1)"
#endif
