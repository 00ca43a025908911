// Writes file.br and file.gz beside every compressible file in a directory
// (parleyd's static server sends them when the browser accepts them).
// Skips files under 512 bytes and compressed copies that save nothing.
// Usage: node scripts/precompress.mjs out
import { readdirSync, readFileSync, writeFileSync, statSync, unlinkSync } from 'node:fs';
import { join, extname } from 'node:path';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';

const root = process.argv[2] ?? 'out';
const exts = new Set(['.html', '.js', '.css', '.txt', '.svg', '.json', '.webmanifest', '.map', '.xml']);
let files = 0, raw = 0, br = 0;

function walk(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) { walk(p); continue; }
    if (!exts.has(extname(name)) || st.size < 512) continue;
    const data = readFileSync(p);
    const b = brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: data.length } });
    const g = gzipSync(data, { level: 9 });
    for (const [suffix, out] of [['.br', b], ['.gz', g]]) {
      if (out.length < data.length * 0.95) writeFileSync(p + suffix, out);
      else try { unlinkSync(p + suffix); } catch {}
    }
    files += 1; raw += data.length; br += b.length;
  }
}
walk(root);
console.log(`precompress: ${files} files, ${(raw / 1024).toFixed(0)} KiB -> ${(br / 1024).toFixed(0)} KiB brotli`);
