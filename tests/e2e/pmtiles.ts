/**
 * A small vector PMTiles (v3) file for the tests, written here because no well-kept writer
 * exists for Node (the pmtiles package reads only; tippecanoe and GDAL ≥ 3.8 are not installed):
 * one zoom-0 tile, uncompressed Mapbox Vector Tile, with Protomaps-schema `earth` and `water`
 * polygons over a box. MapLibre overzooms the one tile at every zoom.
 */
type Box = [west: number, south: number, east: number, north: number];

const EXTENT = 4096;

function varint(out: number[], n: number): void {
	while (n >= 0x80) {
		out.push((n & 0x7f) | 0x80);
		n = Math.floor(n / 128);
	}
	out.push(n);
}
const key = (out: number[], tag: number, wire: number) => varint(out, (tag << 3) | wire);
function bytesField(out: number[], tag: number, data: ArrayLike<number>): void {
	key(out, tag, 2);
	varint(out, data.length);
	for (let i = 0; i < data.length; i++) out.push(data[i]);
}
const text = (s: string) => new TextEncoder().encode(s);
const zigzag = (n: number) => (n << 1) ^ (n >> 31);

/** Lon/lat → zoom-0 tile coordinates (Web Mercator, y down). */
function tileXY(lon: number, lat: number): [number, number] {
	const x = ((lon + 180) / 360) * EXTENT;
	const s = Math.sin((lat * Math.PI) / 180);
	const y = (0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI)) * EXTENT;
	return [Math.round(x), Math.round(y)];
}

/** A box as one clockwise (on screen) exterior ring: MoveTo, 3 × LineTo, ClosePath. */
function boxGeometry([w, s, e, n]: Box): number[] {
	const ring = [tileXY(w, n), tileXY(e, n), tileXY(e, s), tileXY(w, s)];
	const out: number[] = [];
	let [cx, cy] = [0, 0];
	ring.forEach(([x, y], i) => {
		if (i === 0) out.push((1 & 7) | (1 << 3));
		if (i === 1) out.push((2 & 7) | (3 << 3));
		out.push(zigzag(x - cx), zigzag(y - cy));
		[cx, cy] = [x, y];
	});
	out.push((7 & 7) | (1 << 3));
	return out;
}

function layer(name: string, box: Box): number[] {
	const feature: number[] = [];
	key(feature, 1, 0);
	varint(feature, 1);
	key(feature, 3, 0);
	varint(feature, 3); // POLYGON
	const geom: number[] = [];
	for (const v of boxGeometry(box)) varint(geom, v);
	bytesField(feature, 4, geom);
	const out: number[] = [];
	key(out, 15, 0);
	varint(out, 2);
	bytesField(out, 1, text(name));
	bytesField(out, 2, feature);
	key(out, 5, 0);
	varint(out, EXTENT);
	return out;
}

function u64(view: DataView, at: number, n: number): void {
	view.setBigUint64(at, BigInt(n), true);
}

/** The file: `earth` over `land`, `water` over `lake` (both inside `land`). */
export function pmtilesFile(land: Box, lake: Box): Buffer {
	const tile: number[] = [];
	bytesField(tile, 3, layer('earth', land));
	bytesField(tile, 3, layer('water', lake));
	const dir: number[] = [];
	for (const v of [1, 0, 1, tile.length, 1]) varint(dir, v); // 1 entry: id 0, run 1, length, offset+1
	const meta = text(
		JSON.stringify({
			vector_layers: [
				{ id: 'earth', fields: {} },
				{ id: 'water', fields: {} }
			]
		})
	);
	const header = new DataView(new ArrayBuffer(127));
	text('PMTiles').forEach((b, i) => header.setUint8(i, b));
	header.setUint8(7, 3);
	const dirAt = 127;
	const metaAt = dirAt + dir.length;
	const tileAt = metaAt + meta.length;
	u64(header, 8, dirAt);
	u64(header, 16, dir.length);
	u64(header, 24, metaAt);
	u64(header, 32, meta.length);
	u64(header, 40, tileAt);
	u64(header, 48, 0);
	u64(header, 56, tileAt);
	u64(header, 64, tile.length);
	u64(header, 72, 1);
	u64(header, 80, 1);
	u64(header, 88, 1);
	header.setUint8(96, 1); // clustered
	header.setUint8(97, 1); // internal compression: none
	header.setUint8(98, 1); // tile compression: none
	header.setUint8(99, 1); // MVT
	header.setUint8(100, 0);
	header.setUint8(101, 0);
	const e7 = (d: number) => Math.round(d * 1e7);
	header.setInt32(102, e7(land[0]), true);
	header.setInt32(106, e7(land[1]), true);
	header.setInt32(110, e7(land[2]), true);
	header.setInt32(114, e7(land[3]), true);
	header.setUint8(118, 0);
	header.setInt32(119, e7((land[0] + land[2]) / 2), true);
	header.setInt32(123, e7((land[1] + land[3]) / 2), true);
	return Buffer.concat([
		Buffer.from(header.buffer),
		Buffer.from(dir),
		Buffer.from(meta),
		Buffer.from(tile)
	]);
}
