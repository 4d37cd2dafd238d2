# The two commands of the README's quick start: `make run` and `make test`.
.PHONY: run test web edge

run: web
	cargo run --release -- serve

test:
	./scripts/test

web:
	./scripts/build-web

# The edge worker on workerd in front of a running server: 127.0.0.1:${EDGE_PORT:-8787}
# → ${EDGE_ORIGIN:-http://127.0.0.1:8080}, with the server's VITRIN_EDGE_SECRET.
edge:
	cd edge && { [ -d node_modules ] || npm ci --no-audit --no-fund; } && exec ./scripts/dev.sh
