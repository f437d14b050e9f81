# LandWatch: the README's two commands are `make demo` and `make test`; `make check` is the quick loop.
SWIFT      ?= swift
SUDO       := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT        := libgdal-dev libproj-dev libpq-dev libsqlite3-dev gdal-bin pkg-config time libjs-leaflet
# The tests also start a throwaway PostgreSQL/PostGIS server of their own, and drive the web
# application in headless Chromium (Selenium comes from PyPI into .build/e2e-venv).
APT_TEST   := postgresql-15 postgresql-15-postgis-3 chromium chromium-driver fonts-noto-cjk python3-venv
BIN        := .build/release/landwatch
OUT        ?= out
# The installable build: the Swift standard library linked in, so that no toolchain is needed.
STATIC     := .build/static/release/landwatch
APT_DEB    := dpkg-dev man-db
APT_BENCH  := python3-qgis qgis-providers
PREFIX     ?= /usr/local
SYSCONFDIR ?= /etc
UNITDIR    ?= /etc/systemd/system

.PHONY: deps test-deps build demo serve check test tsan e2e screenshots bench bench-deps data clean static deb install uninstall

# Installs GDAL, GEOS, PROJ, libpq, SQLite and Leaflet from Debian's packages when they are missing.
deps:
	@{ pkg-config --exists gdal geos proj libpq sqlite3 && [ -x /usr/bin/time ] && command -v ogr2ogr \
	   && [ -f /usr/share/javascript/leaflet/leaflet.js ]; } >/dev/null 2>&1 || { \
	  echo "installing $(APT)"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(APT); }

# PostgreSQL and PostGIS for the tests and the benchmarks (never needed by `make demo`).
test-deps: deps
	@{ ls /usr/lib/postgresql/*/bin/initdb && ls /usr/share/postgresql/*/extension/postgis.control \
	   && command -v chromium chromedriver && fc-list | grep -q "Noto Sans CJK"; } >/dev/null 2>&1 || { \
	  echo "installing $(APT_TEST)"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(APT_TEST); }

build: deps
	$(SWIFT) build -c release --product landwatch

# The main job on the sample data in Data/: the monthly bulletin for 2026-10 into out/.
demo: build
	$(BIN) --version
	rm -f $(OUT)/ledger.gpkg
	$(BIN) run Samples/daxing.yml
	@echo "open $(OUT)/bulletin-2026-10/bulletin.html in a browser; GeoJSON for QGIS beside it"

# The web application on the demo ledger with demo accounts (printed), at http://127.0.0.1:8080.
serve: build
	bash Samples/serve-demo.sh

# The quick loop: a debug build and the fast tests (LANDWATCH_QUICK=1 skips those tagged
# .slow), the guide's error lines; no package, no browser, and the PostGIS tests only when
# LANDWATCH_TEST_PG names a server already running (skipped, and shown as skipped, otherwise).
check: deps
	$(SWIFT) build --product landwatch
	@mkdir -p .build && python3 docs/zh/check_errors.py > .build/guide-errors.txt || { cat .build/guide-errors.txt; exit 1; }
	@tail -1 .build/guide-errors.txt
	LANDWATCH_QUICK=1 $(SWIFT) test

# Every test: builds the command (the CLI tests run it), starts a throwaway PostgreSQL/PostGIS
# server, runs the Debian package test, the browser test, the threaded tests under
# ThreadSanitizer and the suites.
test: test-deps
	$(SWIFT) build --product landwatch
	bash Tests/Services/run-tests.sh

# The ThreadSanitizer run alone (its own build in .build-tsan).
tsan: deps
	bash Tests/Services/tsan.sh

# The browser test alone (headless Chromium, Selenium).
e2e: test-deps
	$(SWIFT) build --product landwatch
	bash Tests/Services/e2e.sh

# The README's screenshots of the web application and of the bulletin's maps, into Samples/.
screenshots: test-deps
	$(SWIFT) build --product landwatch
	bash Tests/Services/e2e.sh --screenshots Samples
	rm -rf .build/screenshots && mkdir -p .build/screenshots
	.build/debug/landwatch run Samples/daxing.yml --out .build/screenshots/bulletin --ledger .build/screenshots/ledger.gpkg
	.build/e2e-venv/bin/python Tests/EndToEnd/bulletin_screenshots.py .build/screenshots/bulletin/bulletin.html Samples

# The release binary with the Swift standard library linked statically, and the man-page
# generator (swift-argument-parser's) built beside it.
static: deps
	@{ command -v dpkg-shlibdeps && command -v man; } >/dev/null 2>&1 || { \
	  echo "installing $(APT_DEB)"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(APT_DEB); }
	$(SWIFT) build -c release --static-swift-stdlib --build-path .build/static --product landwatch
	$(SWIFT) build -c release --static-swift-stdlib --build-path .build/static --product generate-manual

# The Debian package, into .build/deb/ (installs with apt-get install ./landwatch_…_amd64.deb).
deb: static
	bash Packaging/build-deb.sh $(STATIC) .build/deb

# The same files without a package: make install PREFIX=/usr/local (DESTDIR for staging).
install: static
	bash Packaging/stage.sh $(STATIC) "$(DESTDIR)" $(PREFIX) $(SYSCONFDIR) $(UNITDIR)

# Removes what make install put in place; serve.env (the bureau's settings) and ledgers stay.
uninstall:
	rm -f "$(DESTDIR)$(PREFIX)/bin/landwatch" "$(DESTDIR)$(PREFIX)"/share/man/man1/landwatch*.1.gz \
	  "$(DESTDIR)$(PREFIX)/share/bash-completion/completions/landwatch" "$(DESTDIR)$(PREFIX)/share/zsh/vendor-completions/_landwatch" \
	  "$(DESTDIR)$(UNITDIR)/landwatch.service"
	rm -rf "$(DESTDIR)$(PREFIX)/share/landwatch"

# Benchmarks of the installable build (large sets generated on demand); never part of the tests.
bench: static test-deps bench-deps
	BIN=$(STATIC) bash Benchmarks/run.sh

# The peers the benchmark runs side by side, installed for it alone: QGIS (Debian's
# python3-qgis, run headless) and GeoPandas (from PyPI into .build/bench-venv).
bench-deps:
	@/usr/bin/python3 -c "import qgis.core" >/dev/null 2>&1 || { \
	  echo "installing $(APT_BENCH)"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(APT_BENCH); }
	@[ -x .build/bench-venv/bin/python ] || python3 -m venv .build/bench-venv
	@.build/bench-venv/bin/python -c "import geopandas, pyogrio" >/dev/null 2>&1 || \
	  .build/bench-venv/bin/pip install -q geopandas pyogrio shapely pyproj

# Regenerates the committed sample data (deterministic: same bytes for the same seed).
data: build
	$(BIN) sample-data --out Data

clean:
	rm -rf .build .build-tsan $(OUT) bench-out
