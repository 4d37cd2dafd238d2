//! The edge's image work against the server's own: the product preset's 1000 px JPEG
//! (made by the server's pipeline from the 12 MP fixture) resized to 480 px and encoded
//! as JPEG q80 — decode, resize, encode — by photon-rs compiled to wasm (the edge
//! worker's `@cf-wasm/photon`, run in Node by `edge/bench/photon-resize.mjs`, the same
//! V8 and wasm as workerd) and by the server (zune-jpeg, Lanczos3, its JPEG encoder),
//! single thread, in the same run. Reports the time ratio and the bytes of both results.
//!
//! Run: `cargo bench --bench edge_resize` (needs `npm ci` in edge/; `BENCH_ITERATIONS`,
//! default 20).

mod support;

use std::process::Command;
use std::time::Instant;

use vitrin::media::crop::CropRect;
use vitrin::media::image::{
    StillFormat, VariantFormat, decode, encode_jpeg, header_dimensions, render_variants, resize,
};

const INPUT: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/media/photo-exif-rotated.jpg"
);
const WIDTH: u32 = 480;
const QUALITY: u8 = 80;

fn main() {
    let iterations: usize = support::setting("BENCH_ITERATIONS", 20);
    let original = std::fs::read(INPUT).expect("the 12 MP fixture");
    let (width, height) = header_dimensions(&original, StillFormat::Jpeg).expect("header");
    let side = width.min(height);
    let rect = CropRect {
        x: (width - side) / 2,
        y: (height - side) / 2,
        width: side,
        height: side,
    };
    let sizes = [("main".to_owned(), 1000, 1000)];
    let variants =
        render_variants(&original, StillFormat::Jpeg, 40_000_000, rect, &sizes).expect("variants");
    let source = variants
        .into_iter()
        .find(|v| v.format == VariantFormat::Jpeg)
        .expect("the 1000 px JPEG")
        .bytes;
    let dir = tempfile::tempdir().expect("temp dir");
    let source_path = dir.path().join("main-1000.jpg");
    std::fs::write(&source_path, &source).expect("write the source");

    let server_resize = || {
        let image = decode(&source, StillFormat::Jpeg, 40_000_000, true)
            .expect("decodes")
            .into_rgba8();
        let height = WIDTH * image.height() / image.width();
        let small = resize(&image, None, WIDTH, height, true).expect("resizes");
        encode_jpeg(
            small.as_raw(),
            WIDTH,
            height,
            jpeg_encoder::ColorType::Rgba,
            QUALITY,
        )
        .expect("encodes")
    };
    let ours = server_resize();
    let mut our_times = Vec::with_capacity(iterations);
    for _ in 0..iterations {
        let started = Instant::now();
        std::hint::black_box(server_resize());
        our_times.push(started.elapsed().as_secs_f64());
    }

    let (report, mut photon_times) = support::external_baseline(
        Command::new("node")
            .arg(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/edge/bench/photon-resize.mjs"
            ))
            .arg(&source_path)
            .arg(WIDTH.to_string())
            .arg(QUALITY.to_string())
            .arg(iterations.to_string()),
        "photon could not run (cd edge && npm ci)",
    );
    let (ours_median, photon_median) = (
        support::median(&mut our_times),
        support::median(&mut photon_times),
    );
    println!(
        "1000 px JPEG ({} bytes) → {WIDTH} px JPEG q{QUALITY}, decode + resize + encode, one thread, median of {iterations}:",
        source.len()
    );
    println!("  server (Rust) {:7.1} ms", ours_median * 1000.0);
    println!("  photon (wasm) {:7.1} ms", photon_median * 1000.0);
    println!("  ratio photon/server = {:.2}", photon_median / ours_median);
    println!(
        "  bytes: photon {} / server {} = {:.2}",
        report["bytes"],
        ours.len(),
        report["bytes"].as_f64().unwrap_or(0.0) / ours.len() as f64
    );
}
