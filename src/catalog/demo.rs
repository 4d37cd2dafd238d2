//! `vitrin seed-demo`: a catalogue to try the shop with (and to benchmark): a small
//! category tree, products with Turkish names, prices, sales and stock, and a few
//! generated pictures shared between them.

use std::io::{Seek, SeekFrom, Write};

use chrono::Duration;

use super::products::ProductChanges;
use super::{Catalog, Change};
use crate::db::media::MediaSection;
use crate::error::{AppError, AppResult};
use crate::media::image::encode_jpeg;

/// The demo's categories: tops and their children.
const CATEGORIES: &[(&str, &[&str])] = &[
    ("Mutfak", &["Kupalar", "Tabaklar", "Tepsiler"]),
    ("Ev tekstili", &["Havlular", "Örtüler"]),
    ("Aydınlatma", &["Masa lambaları", "Işık zincirleri"]),
];
const MATERIALS: &[&str] = &[
    "Seramik", "Keten", "Ahşap", "Pirinç", "Cam", "Pamuk", "Işıl", "Çini",
];
const THINGS: &[&str] = &[
    "kupa",
    "tabak",
    "tepsi",
    "havlu",
    "örtü",
    "lamba",
    "ışık zinciri",
    "kâse",
];
const COLOURS: &[[u8; 3]] = &[
    [15, 92, 110],
    [180, 35, 24],
    [28, 124, 69],
    [212, 160, 23],
    [90, 60, 150],
];

/// What a seeding made.
#[derive(Debug)]
pub struct Seeded {
    pub categories: usize,
    pub products: usize,
    pub pictures: usize,
}

impl Catalog {
    /// Fills an empty catalogue with `products` demo products (refused when it holds
    /// products already, so that a second run does not double it).
    pub async fn seed_demo(&self, products: usize) -> AppResult<Seeded> {
        let everything = super::ProductFilter {
            include_inactive: true,
            ..super::ProductFilter::default()
        };
        let now = self.svc.clock.now();
        let held = crate::db::products::count(
            &mut self.svc.db.read().await?.conn(),
            &everything,
            now.into(),
        )
        .await?;
        if held > 0 {
            return Err(AppError::conflict(
                "The catalogue already has products; seed-demo fills an empty one.",
            ));
        }
        let mut leaves = Vec::new();
        let mut categories = 0;
        for (top, children) in CATEGORIES {
            let parent = self.create_category(top, None, None).await?;
            categories += 1;
            for child in *children {
                leaves.push(self.create_category(child, None, Some(parent.id)).await?.id);
                categories += 1;
            }
        }
        let mut pictures = Vec::new();
        for (i, colour) in COLOURS.iter().enumerate() {
            let file =
                demo_picture(*colour, i).map_err(|e| AppError::internal(anyhow::anyhow!(e)))?;
            let alt = format!("Demo görseli {}", i + 1);
            pictures.push(
                self.media
                    .upload(file, Some(alt), MediaSection::Product)
                    .await?
                    .id,
            );
        }
        for n in 0..products {
            let material = MATERIALS[n % MATERIALS.len()];
            let thing = THINGS[(n / MATERIALS.len()) % THINGS.len()];
            let price = 4_990 + i64::try_from(n * 7_919 % 5_000).unwrap_or(0) * 10;
            let on_sale = n % 4 == 0;
            let changes = ProductChanges {
                name: Some(format!("{material} {thing} {}", n + 1)),
                description: Some(format!(
                    "**{material} {thing}**, el yapımı.\n\n- Ölçü: {} cm\n- Bakım: elde yıkayın",
                    10 + n % 30
                )),
                sku: Change::Set(format!("DEMO-{:05}", n + 1)),
                price: Some(price),
                sale_price: if on_sale {
                    Change::Set(price * 80 / 100)
                } else {
                    Change::Keep
                },
                sale_ends_at: if on_sale {
                    Change::Set(now + Duration::days(30))
                } else {
                    Change::Keep
                },
                stock: Some(i32::try_from(n % 25).unwrap_or(0)),
                active: Some(true),
                category_ids: Some(vec![leaves[n % leaves.len()]]),
                ..ProductChanges::default()
            };
            let product = self.create_product(changes).await?;
            let count = 1 + n % pictures.len();
            let images: Vec<i64> = (0..count)
                .map(|k| pictures[(n + k) % pictures.len()])
                .collect();
            self.set_product_media(product.id, &images, None).await?;
        }
        Ok(Seeded {
            categories,
            products,
            pictures: pictures.len(),
        })
    }
}

/// A square JPEG in `colour` with a lighter band whose place depends on `index`, in a
/// temporary file as an upload arrives.
fn demo_picture(colour: [u8; 3], index: usize) -> Result<std::fs::File, String> {
    const SIDE: u32 = 1200;
    let band = (index as u32 % 5) * SIDE / 5;
    let mut pixels = Vec::with_capacity((SIDE * SIDE * 3) as usize);
    for y in 0..SIDE {
        for x in 0..SIDE {
            let light =
                (band..band + SIDE / 5).contains(&x) || (band..band + SIDE / 5).contains(&y);
            let shade = |c: u8| {
                if light {
                    c.saturating_add(90)
                } else {
                    c.saturating_add((x * 40 / SIDE) as u8)
                }
            };
            pixels.extend(colour.map(shade));
        }
    }
    let jpeg = encode_jpeg(&pixels, SIDE, SIDE, jpeg_encoder::ColorType::Rgb, 85)?;
    let mut file = tempfile::tempfile().map_err(|e| e.to_string())?;
    file.write_all(&jpeg).map_err(|e| e.to_string())?;
    file.seek(SeekFrom::Start(0)).map_err(|e| e.to_string())?;
    Ok(file)
}
