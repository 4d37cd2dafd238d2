# The two commands of the README's quick start: `make run` and `make test`.
.PHONY: run test web

run: web
	cargo run --release -- serve

test:
	./scripts/test

web:
	./scripts/build-web
