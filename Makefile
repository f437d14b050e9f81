# LandWatch: the README's two commands are `make demo` and `make test`.
SWIFT      ?= swift
SUDO       := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT        := libgdal-dev libproj-dev gdal-bin pkg-config time
BIN        := .build/release/landwatch
OUT        ?= out

.PHONY: deps build demo test bench data clean

# Installs GDAL, GEOS and PROJ from Debian's packages when pkg-config cannot find them.
deps:
	@{ pkg-config --exists gdal geos proj && [ -x /usr/bin/time ] && command -v ogr2ogr; } >/dev/null 2>&1 || { \
	  echo "installing $(APT)"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(APT); }

build: deps
	$(SWIFT) build -c release --product landwatch

# The main job on the sample data in Data/.
demo: build
	@mkdir -p $(OUT)
	$(BIN) --version
	$(BIN) info Data/daxing_towns.gpkg Data/bare_land_202610.shp Data/sensitive_landuse.geojson \
	  Data/contaminated_plots.gpkg Data/vocs_survey_202610_gcj02.csv@GCJ-02 Data/enterprises.csv
	$(BIN) info Data/*.gpkg Data/*.shp Data/*.geojson Data/*.csv --format json -o $(OUT)/info.json
	$(BIN) coverage Data/bare_land_202610.shp --zones Data/daxing_towns.gpkg --class-field lx --lang zh \
	  --geojson $(OUT)/bare_land_pieces.geojson --zones-out $(OUT)/towns_bare_land.geojson -o $(OUT)/coverage.xlsx
	$(BIN) coverage Data/bare_land_202610.shp --zones Data/daxing_towns.gpkg --lang zh
	$(BIN) coverage Data/bare_class_202610.tif --values 1,3 --zones Data/daxing_towns.gpkg -o $(OUT)/coverage_raster.csv
	$(BIN) coverage Data/vocs_survey_202610_gcj02.csv@GCJ-02 --value tvoc --zones Data/daxing_towns.gpkg -o $(OUT)/readings_per_town.md
	@echo "wrote $(OUT)/: info.json, coverage.xlsx, bare_land_pieces.geojson, towns_bare_land.geojson, coverage_raster.csv, readings_per_town.md"

# Every test: builds the command (the CLI tests run it) and runs the suites.
test: deps
	$(SWIFT) build --product landwatch
	$(SWIFT) test

# Benchmarks (release build, large sets generated on demand); never part of the tests.
bench: build
	bash Benchmarks/run.sh

# Regenerates the committed sample data (deterministic: same bytes for the same seed).
data: build
	$(BIN) sample-data --out Data

clean:
	rm -rf .build $(OUT) bench-out
