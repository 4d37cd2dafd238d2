"""The `product` preset pipeline done by libvips (pyvips), for benches/image_pipeline.rs.

Same work as vitrin: decode the JPEG, crop the centred 3000x3000 square, Lanczos3
downscale to 2000, then 1000 from it, then 160 from that, each saved as JPEG (Q85,
4:2:0) and lossy WebP (Q80, effort 4). Run with VIPS_CONCURRENCY=1 (one thread).
Prints JSON: the time of each run in seconds and the output sizes; writes the outputs.
"""

import json
import sys
import time

import pyvips


def run(path, out_dir=None):
    image = pyvips.Image.new_from_file(path, access="sequential", autorotate=False)
    side = min(image.width, image.height)
    square = image.crop((image.width - side) // 2, (image.height - side) // 2, side, side)
    sizes = {}
    source = square
    for name, target in (("zoom", 2000), ("main", 1000), ("thumb", 160)):
        resized = source.resize(target / source.width, kernel="lanczos3").copy_memory()
        jpeg = resized.jpegsave_buffer(Q=85, subsample_mode="on", strip=True)
        webp = resized.webpsave_buffer(Q=80, effort=4, strip=True)
        sizes[name] = {"jpeg": len(jpeg), "webp": len(webp)}
        if out_dir:
            open(f"{out_dir}/vips-{name}.jpg", "wb").write(jpeg)
            open(f"{out_dir}/vips-{name}.webp", "wb").write(webp)
            resized.pngsave(f"{out_dir}/vips-{name}.png")
        source = resized
    return sizes


def main():
    path, iterations, out_dir = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    sizes = run(path, out_dir)
    times = []
    for _ in range(iterations):
        started = time.perf_counter()
        run(path)
        times.append(time.perf_counter() - started)
    print(json.dumps({"times": times, "sizes": sizes, "version": pyvips.version(0) * 100 + pyvips.version(1)}))


main()
