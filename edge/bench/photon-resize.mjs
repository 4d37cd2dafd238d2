/**
 * The worker's resize, timed in Node with the same photon wasm (`@cf-wasm/photon`'s
 * Node entry; workerd runs the same module on the same V8): decode, resize with the
 * filter `src/image.ts` uses, encode JPEG. Prints `{ "times": [seconds…], "bytes": n }`.
 *
 *   node bench/photon-resize.mjs <source.jpg> <width> <quality> <iterations>
 *
 * Run by the Rust benchmark `cargo bench --bench edge_resize`, which compares it with
 * the server's own resize of the same file in the same run.
 */
import { readFileSync } from 'node:fs';
import { PhotonImage, SamplingFilter, resize } from '@cf-wasm/photon/node';

const [file, width, quality, iterations] = process.argv.slice(2);
const source = new Uint8Array(readFileSync(file));
const target = Number(width);

function once() {
  const image = PhotonImage.new_from_byteslice(source);
  const height = Math.round((image.get_height() * target) / image.get_width());
  const small = resize(image, target, height, SamplingFilter.Triangle);
  const bytes = small.get_bytes_jpeg(Number(quality));
  small.free();
  image.free();
  return bytes;
}

const result = once();
const times = [];
for (let i = 0; i < Number(iterations); i++) {
  const started = process.hrtime.bigint();
  once();
  times.push(Number(process.hrtime.bigint() - started) / 1e9);
}
process.stdout.write(JSON.stringify({ times, bytes: result.length }));
