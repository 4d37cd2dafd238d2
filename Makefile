# The two commands of the README's quick start: `make run` and `make test`.
.PHONY: run test

run:
	cargo run --release -- serve

test:
	./scripts/test
