/**
 * Clusters of incidents for the map, as flat typed arrays ready for deck.gl binary attributes.
 *
 * Two ways to get them (see docs/architecture.md): for what is in view, when it is at most a few
 * thousand incidents, a supercluster index built in the worker (precise clusters that split as you
 * zoom); for more, square bins aggregated in SQL (`binsToView`).
 */
import Supercluster, {
	type AnyProps,
	type ClusterProperties,
	type PointFeature
} from 'supercluster';
import type { Bins, PointSet } from './queries';

export const CLUSTER_RADIUS_PX = 60;
/** Above this zoom every incident is drawn on its own. */
export const CLUSTER_MAX_ZOOM = 16;
/** `clusterIds` of a single incident, and of a cluster that is a SQL bin (zoom in to split it). */
export const SINGLE = -1;
export const BIN = -2;

export interface ClusterView {
	length: number;
	/** [lon, lat, lon, lat, …] */
	positions: Float32Array;
	/** Incidents represented: 1 for a single incident. */
	counts: Uint32Array;
	/** supercluster id of a cluster, SINGLE for a single incident, BIN for a SQL bin. */
	clusterIds: Int32Array;
	/** Id of a single incident, -1 for a cluster. */
	ids: Int32Array;
	/** Codes of a single incident (-1 for a cluster), for colour and tooltip. */
	types: Int8Array;
	sources: Int8Array;
	statuses: Int8Array;
	priorities: Uint8Array;
	/** Report time of a single incident (epoch ms), NaN for a cluster. */
	ts: Float64Array;
}

function emptyView(length: number): ClusterView {
	return {
		length,
		positions: new Float32Array(length * 2),
		counts: new Uint32Array(length),
		clusterIds: new Int32Array(length),
		ids: new Int32Array(length).fill(-1),
		types: new Int8Array(length).fill(-1),
		sources: new Int8Array(length).fill(-1),
		statuses: new Int8Array(length).fill(-1),
		priorities: new Uint8Array(length),
		ts: new Float64Array(length).fill(NaN)
	};
}

function copySingle(view: ClusterView, i: number, points: PointSet, p: number) {
	view.counts[i] = 1;
	view.clusterIds[i] = SINGLE;
	view.ids[i] = points.id[p];
	view.types[i] = points.type[p];
	view.sources[i] = points.source[p];
	view.statuses[i] = points.status[p];
	view.priorities[i] = points.priority[p];
	view.ts[i] = points.ts[p];
}

type PointProps = { p: number };

/** A supercluster index over one set of points; immutable once built. */
export class ClusterIndex {
	private readonly index = new Supercluster<PointProps, AnyProps>({
		radius: CLUSTER_RADIUS_PX,
		maxZoom: CLUSTER_MAX_ZOOM
	});

	constructor(private readonly points: PointSet) {
		const features = new Array<PointFeature<PointProps>>(points.length);
		for (let p = 0; p < points.length; p++) {
			features[p] = {
				type: 'Feature',
				properties: { p },
				geometry: { type: 'Point', coordinates: [points.lon[p], points.lat[p]] }
			};
		}
		this.index.load(features);
	}

	/** Clusters and single incidents within a [west, south, east, north] box at a zoom. */
	query(bbox: [number, number, number, number], zoom: number): ClusterView {
		const features = this.index.getClusters(bbox, Math.floor(zoom));
		const view = emptyView(features.length);
		features.forEach((f, i) => {
			const [lon, lat] = f.geometry.coordinates;
			view.positions[i * 2] = lon;
			view.positions[i * 2 + 1] = lat;
			const props = f.properties as ClusterProperties | PointProps;
			if ('cluster' in props && props.cluster) {
				view.counts[i] = props.point_count;
				view.clusterIds[i] = props.cluster_id;
			} else {
				copySingle(view, i, this.points, (props as PointProps).p);
			}
		});
		return view;
	}

	/** The zoom at which a cluster splits into its children. */
	expansionZoom(clusterId: number): number {
		return this.index.getClusterExpansionZoom(clusterId);
	}
}

/** SQL bins as a cluster view: bins of one incident become that incident. */
export function binsToView(bins: Bins): ClusterView {
	const view = emptyView(bins.length);
	for (let i = 0; i < bins.length; i++) {
		view.positions[i * 2] = bins.lon[i];
		view.positions[i * 2 + 1] = bins.lat[i];
		if (bins.count[i] === 1) {
			copySingle(view, i, bins.single, i);
		} else {
			view.counts[i] = bins.count[i];
			view.clusterIds[i] = BIN;
		}
	}
	return view;
}
