#!/usr/bin/env node
/**
 * Draws the demo shop's receipt logo, an abacus (算盤), as a 1-bit PBM: assets/demo/logo.pbm.
 * 360 × 120 dots fits 58 mm paper (384 dots) and prints centred on 80 mm. Deterministic; run it
 * again only to change the drawing.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const W = 360;
const H = 120;
const dots = new Uint8Array(W * H);
const fill = (x, y, w, h) => {
  for (let yy = y; yy < y + h; yy++) for (let xx = x; xx < x + w; xx++) if (xx >= 0 && yy >= 0 && xx < W && yy < H) dots[yy * W + xx] = 1;
};
/** A bead: a lens shape centred on (cx, cy). */
const bead = (cx, cy) => {
  for (let dy = -6; dy <= 6; dy++) {
    const half = Math.round(12 * Math.sqrt(1 - (dy / 7) ** 2));
    fill(cx - half, cy + dy, half * 2 + 1, 1);
  }
};

fill(0, 0, W, 8); // top of the frame
fill(0, H - 8, W, 8); // bottom
fill(0, 0, 8, H); // left
fill(W - 8, 0, 8, H); // right
fill(8, 38, W - 16, 5); // the beam between heaven and earth

const rods = 11;
const pitch = (W - 16) / rods;
// The digits the abacus shows: 2026-11-27 read as 2 0 2 6 1 1 2 7 …
const digits = [2, 0, 2, 6, 1, 1, 2, 7, 0, 0, 8];
for (let r = 0; r < rods; r++) {
  const cx = Math.round(8 + pitch * (r + 0.5));
  fill(cx - 1, 8, 3, H - 16); // the rod
  const digit = digits[r];
  const heavenDown = digit >= 5;
  bead(cx, heavenDown ? 29 : 17); // heaven bead: down to the beam counts five
  const earthUp = digit % 5;
  for (let b = 0; b < 4; b++) {
    // earth beads pushed up to the beam count one each; the rest rest at the bottom
    const cy = b < earthUp ? 51 + b * 15 : H - 17 - (3 - b) * 15;
    bead(cx, cy);
  }
}

const rowBytes = Math.ceil(W / 8);
const header = Buffer.from(`P4\n# Suanpan demo logo: an abacus\n${W} ${H}\n`, 'ascii');
const body = Buffer.alloc(rowBytes * H);
for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) if (dots[y * W + x]) body[y * rowBytes + (x >> 3)] |= 0x80 >> (x & 7);
const out = fileURLToPath(new URL('../assets/demo/logo.pbm', import.meta.url));
writeFileSync(out, Buffer.concat([header, body]));
console.log(`wrote ${out} (${W}×${H})`);
