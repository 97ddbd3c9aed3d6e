/**
 * Clusters of incidents for the map: a supercluster index over the loaded incidents, queried by
 * viewport. Results are flat typed arrays ready for deck.gl binary attributes.
 *
 * The index is built once per data load (off the main thread, in the incidents worker); queries
 * take milliseconds. Filtering a million incidents is the job of the DuckDB engine, not of this
 * index: see docs/architecture.md.
 */
import Supercluster, {
	type AnyProps,
	type ClusterProperties,
	type PointFeature
} from 'supercluster';
import type { IncidentColumns } from './columns';

export const CLUSTER_RADIUS_PX = 60;
/** Above this zoom every incident is drawn on its own. */
export const CLUSTER_MAX_ZOOM = 16;

export interface ClusterView {
	length: number;
	/** [lon, lat, lon, lat, …] */
	positions: Float32Array;
	/** Incidents represented: 1 for a single incident. */
	counts: Uint32Array;
	/** supercluster id of a cluster, -1 for a single incident. */
	clusterIds: Int32Array;
	/** Row of a single incident in the columns, -1 for a cluster. */
	rows: Int32Array;
	/** Codes of a single incident (-1 for a cluster), for colour and tooltip. */
	types: Int8Array;
	sources: Int8Array;
	statuses: Int8Array;
	priorities: Uint8Array;
	/** Report time of a single incident (epoch ms), NaN for a cluster. */
	ts: Float64Array;
}

export type IncidentAttributes = Pick<
	IncidentColumns,
	'type' | 'source' | 'status' | 'priority' | 'ts'
>;

type PointProps = { row: number };

export class ClusterIndex {
	private readonly index: Supercluster<PointProps, AnyProps>;

	constructor(columns: Pick<IncidentColumns, 'length' | 'lon' | 'lat'>) {
		this.index = new Supercluster<PointProps, AnyProps>({
			radius: CLUSTER_RADIUS_PX,
			maxZoom: CLUSTER_MAX_ZOOM
		});
		const points = new Array<PointFeature<PointProps>>(columns.length);
		for (let row = 0; row < columns.length; row++) {
			points[row] = {
				type: 'Feature',
				properties: { row },
				geometry: { type: 'Point', coordinates: [columns.lon[row], columns.lat[row]] }
			};
		}
		this.index.load(points);
	}

	/** Clusters and single incidents within a [west, south, east, north] box at a zoom. */
	query(
		bbox: [number, number, number, number],
		zoom: number,
		attributes: IncidentAttributes
	): ClusterView {
		const features = this.index.getClusters(bbox, Math.floor(zoom));
		const length = features.length;
		const view: ClusterView = {
			length,
			positions: new Float32Array(length * 2),
			counts: new Uint32Array(length),
			clusterIds: new Int32Array(length),
			rows: new Int32Array(length),
			types: new Int8Array(length).fill(-1),
			sources: new Int8Array(length).fill(-1),
			statuses: new Int8Array(length).fill(-1),
			priorities: new Uint8Array(length),
			ts: new Float64Array(length).fill(NaN)
		};
		features.forEach((f, i) => {
			const [lon, lat] = f.geometry.coordinates;
			view.positions[i * 2] = lon;
			view.positions[i * 2 + 1] = lat;
			const props = f.properties as ClusterProperties | PointProps;
			if ('cluster' in props && props.cluster) {
				view.counts[i] = props.point_count;
				view.clusterIds[i] = props.cluster_id;
				view.rows[i] = -1;
			} else {
				const row = (props as PointProps).row;
				view.counts[i] = 1;
				view.clusterIds[i] = -1;
				view.rows[i] = row;
				view.types[i] = attributes.type[row];
				view.sources[i] = attributes.source[row];
				view.statuses[i] = attributes.status[row];
				view.priorities[i] = attributes.priority[row];
				view.ts[i] = attributes.ts[row];
			}
		});
		return view;
	}

	/** The zoom at which a cluster splits into its children. */
	expansionZoom(clusterId: number): number {
		return this.index.getClusterExpansionZoom(clusterId);
	}
}

/** Incidents per dictionary code (e.g. per grid), for choropleths. */
export function countByCode(codes: Int16Array | Int8Array, size: number): Uint32Array {
	const counts = new Uint32Array(size);
	for (let i = 0; i < codes.length; i++) counts[codes[i]]++;
	return counts;
}
