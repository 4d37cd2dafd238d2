/**
 * Makes the pictures of the gallery demo (src/widgets/public/gallery-demo/): five
 * square products, each as JPEG and WebP at 1000 (main), 2000 (zoom) and 160 (thumb)
 * pixels, plus a video poster. Drawn on a canvas in Debian's Chromium (through
 * playwright-core: no image library needed); every picture has its own colour and
 * number, its size and format written on it, and a grid of labelled cells (A1…D4) so
 * that the zoomed part can be told apart. Run from web/:
 *
 *   npx tsx scripts/gallery-demo-media.ts
 *
 * The video (clip.webm) is a copy of the server's fixture tests/fixtures/media/clip.webm.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const OUT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'src', 'widgets', 'public', 'gallery-demo');

const PRODUCTS = [
  { n: 1, colour: '#0f5c6e', light: '#3f8797' },
  { n: 2, colour: '#b42318', light: '#d2574d' },
  { n: 3, colour: '#1c7c45', light: '#4fa572' },
  { n: 4, colour: '#1d4f91', light: '#5079b4' },
  { n: 5, colour: '#8a5a00', light: '#b3843a' },
];
const SIZES = [
  { name: 'main', px: 1000 },
  { name: 'zoom', px: 2000 },
  { name: 'thumb', px: 160 },
];
const FORMATS = [
  { ext: 'jpg', mime: 'image/jpeg', quality: 0.6, label: 'JPEG' },
  { ext: 'webp', mime: 'image/webp', quality: 0.5, label: 'WEBP' },
];

// Runs in the page (a string: tsx would wrap a function in helpers the page lacks).
const DRAW = `(job) => {
  const canvas = document.createElement('canvas');
  canvas.width = job.width;
  canvas.height = job.height;
  const g = canvas.getContext('2d');
  const s = job.width / 1000;
  g.fillStyle = job.colour;
  g.fillRect(0, 0, job.width, job.height);
  if (job.grid) {
    const cell = job.width / 4;
    for (let r = 0; r < 4; r++) for (let c = 0; c < 4; c++) {
      if ((r + c) % 2 === 0) { g.fillStyle = job.light; g.fillRect(c * cell, r * cell, cell, cell); }
      g.fillStyle = '#ffffff';
      g.font = 'bold ' + Math.round(44 * s) + 'px sans-serif';
      g.textAlign = 'left';
      g.textBaseline = 'top';
      g.fillText('ABCD'[c] + (r + 1), c * cell + 18 * s, r * cell + 16 * s);
    }
  }
  const cx = job.width / 2, cy = job.height / 2;
  g.textAlign = 'center';
  g.textBaseline = 'middle';
  if (job.text) {
    g.fillStyle = '#ffffff';
    g.beginPath();
    g.arc(cx, cy, job.width * 0.22, 0, Math.PI * 2);
    g.fill();
    g.fillStyle = job.colour;
    g.font = 'bold ' + Math.round(job.width * 0.3) + 'px sans-serif';
    g.fillText(job.text, cx, cy + job.width * 0.015);
  }
  if (job.caption) {
    g.fillStyle = '#ffffff';
    g.font = 'bold ' + Math.round(60 * s) + 'px sans-serif';
    g.fillText(job.caption, cx, job.text ? job.height - 90 * s : cy);
  }
  return canvas.toDataURL(job.mime, job.quality);
}`;

interface Job {
  file: string;
  width: number;
  height: number;
  colour: string;
  light: string;
  text: string;
  caption: string;
  grid: boolean;
  mime: string;
  quality: number;
}

const jobs: Job[] = [];
for (const p of PRODUCTS) {
  for (const size of SIZES) {
    for (const format of FORMATS) {
      const big = size.name !== 'thumb';
      jobs.push({
        file: `p${p.n}-${size.name}.${format.ext}`,
        width: size.px,
        height: size.px,
        colour: p.colour,
        light: p.light,
        text: String(p.n),
        caption: big ? `${p.n} · ${size.px} · ${format.label}` : '',
        grid: big,
        mime: format.mime,
        quality: format.quality,
      });
    }
  }
}
jobs.push({
  file: 'poster.jpg',
  width: 640,
  height: 360,
  colour: '#3b2f2a',
  light: '#3b2f2a',
  text: '',
  caption: 'VIDEO · 0:03',
  grid: false,
  mime: 'image/jpeg',
  quality: 0.7,
});

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
try {
  const page = await browser.newPage();
  mkdirSync(OUT, { recursive: true });
  let total = 0;
  for (const job of jobs) {
    // Every file stays under 60 KB: lower the quality until it does (the 2000 px JPEGs).
    let bytes = Buffer.alloc(0);
    for (let quality = job.quality; ; quality -= 0.05) {
      if (quality < 0.1) throw new Error(`${job.file} does not fit in 60 KB`);
      const url = (await page.evaluate(`(${DRAW})(${JSON.stringify({ ...job, quality })})`)) as string;
      const expected = `data:${job.mime};base64,`;
      if (!url.startsWith(expected)) throw new Error(`${job.file}: the browser did not encode ${job.mime}`);
      bytes = Buffer.from(url.slice(expected.length), 'base64');
      if (bytes.length <= 58_000) break;
    }
    writeFileSync(path.join(OUT, job.file), bytes);
    total += bytes.length;
    console.log(`${job.file.padEnd(16)} ${String(bytes.length).padStart(7)} bytes`);
  }
  console.log(`${jobs.length} files, ${total} bytes`);
} finally {
  await browser.close();
}
