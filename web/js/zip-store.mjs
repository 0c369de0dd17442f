// zip-store.mjs: a .zip file of a few text files, stored without compression (method 0), so that the
// take-home scripts download as one folder (export-code.mjs). Stored zips are the format's simplest
// case (APPNOTE.TXT, PKWARE's ZIP specification, sections 4.3.7, 4.3.12, 4.3.16): per file a local
// header, the bytes, then a central directory and its end record; every unzip tool reads them. Pure:
// no DOM. It is not a general zip writer: no compression, no zip64 (files and archive under 4 GiB),
// UTF-8 names (flag bit 11), and a fixed date (1980-01-01) so the same files give the same bytes.

// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), the checksum zip stores for each file.
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

export function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const DOS_DATE = (0 << 9) | (1 << 5) | 1;   // 1980-01-01 (years since 1980, month, day)
const UTF8_NAMES = 1 << 11;

// Little-endian fields [size in bytes, value] -> bytes.
function fields(list) {
  const out = new Uint8Array(list.reduce((n, [size]) => n + size, 0));
  const view = new DataView(out.buffer);
  let at = 0;
  for (const [size, v] of list) {
    if (size === 2) view.setUint16(at, v, true); else view.setUint32(at, v, true);
    at += size;
  }
  return out;
}

// [{ name, text }] -> Uint8Array of the .zip (names may hold a folder: "nnplay-numpy/train.py").
export function zipStore(files) {
  const enc = new TextEncoder();
  const parts = [];
  const central = [];
  let offset = 0;
  for (const { name, text } of files) {
    const nameBytes = enc.encode(name);
    const data = enc.encode(text);
    const crc = crc32(data);
    // version needed 2.0, flags, method 0 (stored), time, date, crc, sizes, name length, extra length
    const common = [[2, 20], [2, UTF8_NAMES], [2, 0], [2, 0], [2, DOS_DATE], [4, crc], [4, data.length], [4, data.length], [2, nameBytes.length], [2, 0]];
    const local = fields([[4, 0x04034b50], ...common]);
    // made by (2.0), the common part, comment length, disk, internal and external attributes, offset
    central.push(fields([[4, 0x02014b50], [2, 20], ...common, [2, 0], [2, 0], [2, 0], [4, 0], [4, offset]]), nameBytes);
    parts.push(local, nameBytes, data);
    offset += local.length + nameBytes.length + data.length;
  }
  const dirSize = central.reduce((n, p) => n + p.length, 0);
  const end = fields([[4, 0x06054b50], [2, 0], [2, 0], [2, files.length], [2, files.length], [4, dirSize], [4, offset], [2, 0]]);
  const all = [...parts, ...central, end];
  const out = new Uint8Array(all.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of all) { out.set(p, at); at += p.length; }
  return out;
}
