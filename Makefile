# Parley: `make run` sets up and starts the server; `make test` runs every test.
# Both install what is missing first (Debian 12; as root or with sudo) and skip that quickly
# when everything is there.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c

SYSTEM_PACKAGES := libssl-dev libsrtp2-dev libusrsctp-dev libsqlite3-dev pkg-config
BROWSER_PACKAGES := chromium chromium-driver
PYTHON ?= python3
VENV := .venv
ARGS ?=

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# Installs the Debian packages named in $(1) that are not installed yet.
define ensure_packages
	missing=""; \
	for package in $(1); do \
	  dpkg-query -W -f='$${Status}' "$$package" 2>/dev/null | grep -q "ok installed" || missing="$$missing $$package"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing:$$missing"; \
	  $(SUDO) apt-get update -qq; \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi
endef

.PHONY: run test deps test-deps build build-release swift-test qoe-smoke browser-test bench clean

## Build in release and start the server (pass flags with ARGS="--http-port 9000").
run: deps build-release
	.build/release/parley serve $(ARGS)

## Every test: Swift unit and integration tests, the qoe short form (alone: it measures
## timing), then the headless-browser tests.
test: test-deps swift-test qoe-smoke browser-test

deps:
	@$(call ensure_packages,$(SYSTEM_PACKAGES))

test-deps: deps $(VENV)/.installed
	@$(call ensure_packages,$(BROWSER_PACKAGES))

$(VENV)/.installed: Tests/browser/requirements.txt
	@$(PYTHON) -c 'import venv, ensurepip' 2>/dev/null || { $(call ensure_packages,python3-venv); }
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --disable-pip-version-check -r Tests/browser/requirements.txt
	touch $@

build:
	swift build

build-release:
	swift build -c release --product parley

swift-test:
	swift test

qoe-smoke:
	PARLEY_QOE_SMOKE=1 swift test --filter QoESmokeTests

browser-test: build
	PARLEY_BIN="$$(swift build --show-bin-path)/parley" $(VENV)/bin/python -m pytest -q Tests/browser

## Hot-path micro-benchmarks (package-benchmark, release build).
bench: deps
	cd Benchmarks && swift package --disable-sandbox benchmark

clean:
	rm -rf .build Benchmarks/.build $(VENV)
