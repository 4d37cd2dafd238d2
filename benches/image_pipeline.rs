//! The `product` crop preset on a 12 MP JPEG (decode → crop → Lanczos3 downscale to
//! 2000, 1000 and 160 → JPEG + lossy WebP each), single thread, against libvips doing
//! the same work in the same run (benches/vips_product.py through pyvips with
//! VIPS_CONCURRENCY=1). Reports the time ratio, the output sizes, and the pixel
//! difference (PSNR) between the two 1000×1000 JPEGs.
//!
//! Run: `cargo bench --bench image_pipeline` (needs `pip install pyvips` and Debian's
//! libvips42; `BENCH_ITERATIONS`, default 10).

mod support;

use std::process::Command;
use std::time::Instant;

use vitrin::media::crop::CropRect;
use vitrin::media::image::{StillFormat, VariantFormat, decode, render_variants};

const INPUT: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/media/photo-exif-rotated.jpg"
);

fn main() {
    let iterations: usize = support::setting("BENCH_ITERATIONS", 10);
    let original = std::fs::read(INPUT).expect("the 12 MP fixture");
    let (width, height) =
        vitrin::media::image::header_dimensions(&original, StillFormat::Jpeg).expect("header");
    let side = width.min(height);
    let rect = CropRect {
        x: (width - side) / 2,
        y: (height - side) / 2,
        width: side,
        height: side,
    };
    let sizes = [
        ("zoom".to_owned(), 2000, 2000),
        ("main".to_owned(), 1000, 1000),
        ("thumb".to_owned(), 160, 160),
    ];
    let out_dir = tempfile::tempdir().expect("temp dir");

    let run_ours = || {
        render_variants(&original, StillFormat::Jpeg, 40_000_000, rect, &sizes).expect("pipeline")
    };
    let ours = run_ours();
    for v in &ours {
        let ext = if v.format == VariantFormat::Jpeg {
            "jpg"
        } else {
            "webp"
        };
        std::fs::write(
            out_dir.path().join(format!("vitrin-{}.{ext}", v.size)),
            &v.bytes,
        )
        .expect("write");
    }
    save_unencoded(&original, rect, out_dir.path());

    let (report, mut vips_times) = support::external_baseline(
        Command::new("python3")
            .arg(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/benches/vips_product.py"
            ))
            .arg(INPUT)
            .arg(iterations.to_string())
            .arg(out_dir.path())
            .env("VIPS_CONCURRENCY", "1"),
        "libvips could not run (apt-get install libvips42; pip install pyvips)",
    );

    let mut our_times = Vec::with_capacity(iterations);
    for _ in 0..iterations {
        let started = Instant::now();
        std::hint::black_box(run_ours());
        our_times.push(started.elapsed().as_secs_f64());
    }
    stage_breakdown(&original, rect);
    let (ours_median, vips_median) = (
        support::median(&mut our_times),
        support::median(&mut vips_times),
    );
    println!("product preset on a {width}×{height} JPEG, one thread, median of {iterations}:");
    println!("  vitrin  {:7.1} ms", ours_median * 1000.0);
    println!(
        "  libvips {:7.1} ms (version {})",
        vips_median * 1000.0,
        report["version"]
    );
    println!(
        "  ratio vitrin/libvips = {:.2} (target ≤ 0.80)",
        ours_median / vips_median
    );
    println!("output sizes (bytes):            vitrin JPEG / WebP      libvips JPEG / WebP");
    for name in ["zoom", "main", "thumb"] {
        let size = |format| {
            ours.iter()
                .find(|v| v.size == name && v.format == format)
                .map_or(0, |v| v.bytes.len())
        };
        println!(
            "  {name:<6} {:>22} / {:<10} {:>12} / {}",
            size(VariantFormat::Jpeg),
            size(VariantFormat::Webp),
            report["sizes"][name]["jpeg"],
            report["sizes"][name]["webp"]
        );
    }
    for name in ["zoom", "main", "thumb"] {
        let webp_psnr = |who: &str| {
            let webp =
                std::fs::read(out_dir.path().join(format!("{who}-{name}.webp"))).expect("output");
            let source =
                std::fs::read(out_dir.path().join(format!("{who}-{name}.png"))).expect("source");
            let webp = decode(&webp, StillFormat::Webp, 40_000_000, true)
                .expect("decodes")
                .into_rgba8();
            let source = decode(&source, StillFormat::Png, 40_000_000, true)
                .expect("decodes")
                .into_rgba8();
            psnr(webp.as_raw(), source.as_raw())
        };
        println!(
            "  {name}: WebP PSNR against its own unencoded pixels: vitrin {:.1} dB, libvips {:.1} dB",
            webp_psnr("vitrin"),
            webp_psnr("vips")
        );
        let read = |who: &str| {
            let bytes =
                std::fs::read(out_dir.path().join(format!("{who}-{name}.jpg"))).expect("output");
            decode(&bytes, StillFormat::Jpeg, 40_000_000, false)
                .expect("decodes")
                .to_rgb8()
        };
        let (a, b) = (read("vitrin"), read("vips"));
        println!(
            "  {name}: PSNR between the two JPEGs = {:.1} dB",
            psnr(a.as_raw(), b.as_raw())
        );
    }
}

/// Where the time goes (one run of each stage), and libwebp's effort trade-off on the
/// largest size (why variants use method 2).
fn stage_breakdown(original: &[u8], rect: CropRect) {
    use vitrin::media::image::{
        VARIANT_JPEG_QUALITY, VARIANT_WEBP_QUALITY, encode_jpeg, encode_webp, resize,
    };
    let t = Instant::now();
    let decoded = decode(original, StillFormat::Jpeg, 40_000_000, true)
        .expect("decode")
        .into_rgba8();
    let mut line = format!("stages (ms): decode {:.0}", t.elapsed().as_secs_f64() * 1e3);
    let mut source = decoded;
    let mut window = Some(rect);
    for side in [2000, 1000, 160] {
        let t = Instant::now();
        let resized = resize(&source, window.take(), side, side, true).expect("resize");
        let resize_ms = t.elapsed().as_secs_f64() * 1e3;
        let t = Instant::now();
        std::hint::black_box(
            encode_jpeg(
                resized.as_raw(),
                side,
                side,
                jpeg_encoder::ColorType::Rgba,
                VARIANT_JPEG_QUALITY,
            )
            .expect("jpeg"),
        );
        let jpeg_ms = t.elapsed().as_secs_f64() * 1e3;
        let t = Instant::now();
        std::hint::black_box(
            encode_webp(resized.as_raw(), side, side, VARIANT_WEBP_QUALITY, 2).expect("webp"),
        );
        let webp_ms = t.elapsed().as_secs_f64() * 1e3;
        line.push_str(&format!(
            "; {side}: crop+resize {resize_ms:.0}, jpeg {jpeg_ms:.0}, webp {webp_ms:.0}"
        ));
        if side == 2000 {
            println!("libwebp effort on the 2000×2000 size (quality {VARIANT_WEBP_QUALITY}):");
            for method in 0..=6 {
                let t = Instant::now();
                let out = encode_webp(resized.as_raw(), side, side, VARIANT_WEBP_QUALITY, method)
                    .expect("webp");
                let ms = t.elapsed().as_secs_f64() * 1e3;
                let back = decode(&out, StillFormat::Webp, 40_000_000, true)
                    .expect("decodes")
                    .into_rgba8();
                println!(
                    "  method {method}: {ms:4.0} ms, {:7} bytes, PSNR {:.2} dB",
                    out.len(),
                    psnr(resized.as_raw(), back.as_raw())
                );
            }
        }
        source = resized;
    }
    println!("{line}");
}

/// Our resized pixels before encoding, as PNG, to measure what WebP encoding loses.
fn save_unencoded(original: &[u8], rect: CropRect, dir: &std::path::Path) {
    use vitrin::media::image::resize;
    let mut source = decode(original, StillFormat::Jpeg, 40_000_000, true)
        .expect("decode")
        .into_rgba8();
    let mut window = Some(rect);
    for (name, side) in [("zoom", 2000), ("main", 1000), ("thumb", 160)] {
        let resized = resize(&source, window.take(), side, side, true).expect("resize");
        resized
            .save(dir.join(format!("vitrin-{name}.png")))
            .expect("png");
        source = resized;
    }
}

fn psnr(a: &[u8], b: &[u8]) -> f64 {
    let mse = a
        .iter()
        .zip(b)
        .map(|(x, y)| (f64::from(*x) - f64::from(*y)).powi(2))
        .sum::<f64>()
        / a.len().max(1) as f64;
    if mse == 0.0 {
        f64::INFINITY
    } else {
        10.0 * (255.0f64 * 255.0 / mse).log10()
    }
}
