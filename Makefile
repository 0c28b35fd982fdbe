# archive_repo — every install step lives here.
#   make serve   fresh machine → venv, install, empty repository in var/, seeded
#                agency directory, pserve on http://127.0.0.1:6543
#   make test    venv with test extras (+ the Debian tools the tests drive) → pytest
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
INI    ?= config/development.ini
# records in bench/search.py (the issue's target is at 100 000; 5000 is a quick look)
SEARCH_N ?= 100000
# records in bench/scale.py (the issue's figure is at 1 000 000: hours; 30000 is a look)
SCALE_N ?= 1000000
# Debian packages the test suite drives for real: OCR (Vietnamese model),
# WebDAV clients, a headless browser, the fonts the test PDFs use,
# PostgreSQL (tests/storage starts a throw-away cluster with its initdb/pg_ctl),
# poppler (tests/reports render the PDF reports with pdftoppm).
DEBIAN_TEST_PACKAGES := tesseract-ocr tesseract-ocr-vie rclone cadaver chromium \
	chromium-driver fonts-dejavu-core postgresql poppler-utils
DEBIAN_TOOLS := tesseract rclone cadaver chromium pg_ctlcluster pdftoppm

.PHONY: serve test install install-test system-deps var init bench bench-scale clean distclean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip wheel

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml
	$(BIN)/pip install --quiet -e '.[test,bench,postgresql]'
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

var:
	mkdir -p var/blobs var/index var/trust-roots var/crls

init: install var
	$(BIN)/archive-repo -c $(INI) init

serve: init
	$(BIN)/pserve $(INI)

# Installs the Debian tools when one is missing (needs root, as on CI).
system-deps:
	@missing=""; for t in $(DEBIAN_TOOLS); do command -v $$t >/dev/null || missing="$$missing $$t"; \
	done; [ -f /usr/share/tesseract-ocr/5/tessdata/vie.traineddata ] || \
	  ls /usr/share/tesseract-ocr/*/tessdata/vie.traineddata >/dev/null 2>&1 || missing="$$missing vie"; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages (missing:$$missing)"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $(DEBIAN_TEST_PACKAGES); \
	fi

test: install-test system-deps
	$(BIN)/python -m pytest

bench: install-test
	$(BIN)/python bench/deposit.py
	$(BIN)/python bench/rules.py
	$(BIN)/python bench/workflow.py
	$(BIN)/python bench/concurrency.py
	$(BIN)/python bench/dav.py
	$(BIN)/python bench/search.py --n $(SEARCH_N)

bench-scale: install-test
	$(BIN)/python bench/scale.py --records $(SCALE_N)

clean:
	find . -name __pycache__ -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV) var
