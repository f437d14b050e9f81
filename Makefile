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

# The main job on the sample data in Data/: the monthly bulletin for 2026-10 into out/.
demo: build
	$(BIN) --version
	rm -f $(OUT)/ledger.gpkg
	$(BIN) run Samples/daxing.yml
	@echo "open $(OUT)/bulletin-2026-10/bulletin.html in a browser; GeoJSON for QGIS beside it"

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
