// Initial JavaScript of a page of the static export: every script the HTML
// loads or preloads (the chunks a browser fetches before the page is
// interactive), each gzipped at level 9 as the server's .gz copies are.
// Usage: node scripts/measure-js.mjs [out] [page.html]   (default: out index.html)
// Prints one line per chunk and "total: N KB gzip" ; exits 1 above the budget.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const root = process.argv[2] ?? 'out';
const page = process.argv[3] ?? 'index.html';
const budgetKB = Number(process.env.JS_BUDGET_KB ?? 200);
const html = readFileSync(join(root, page), 'utf8');
const srcs = new Set();
for (const m of html.matchAll(/<script[^>]*\ssrc="([^"]+\.js)"/g)) srcs.add(m[1]);
for (const m of html.matchAll(/<link[^>]*rel="(?:preload|modulepreload)"[^>]*as="script"[^>]*href="([^"]+\.js)"|<link[^>]*href="([^"]+\.js)"[^>]*rel="(?:preload|modulepreload)"/g)) {
  srcs.add(m[1] ?? m[2]);
}
let total = 0, raw = 0;
for (const src of [...srcs].sort()) {
  const data = readFileSync(join(root, decodeURIComponent(src.replace(/^\//, ''))));
  const gz = gzipSync(data, { level: 9 }).length;
  total += gz; raw += data.length;
  console.log(`${(gz / 1024).toFixed(1).padStart(7)} KB  ${src}`);
}
const kb = total / 1024;
console.log(`total: ${kb.toFixed(1)} KB gzip (${(raw / 1024).toFixed(0)} KB raw) in ${srcs.size} scripts for ${page}; budget ${budgetKB} KB`);
process.exit(kb <= budgetKB ? 0 : 1);
