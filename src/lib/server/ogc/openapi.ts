/** The API definition (OpenAPI 3.0) the landing page links to as `service-desc`. */
import { COLLECTIONS } from './collections';
import { CRS84_URI, OGC_CRS_URIS } from './crs';
import { DEFAULT_LIMIT, MAX_LIMIT } from './params';

export function openApi(base: string): Record<string, unknown> {
	const ids = COLLECTIONS.map((c) => c.id);
	const json = (description: string) => ({
		description,
		content: { 'application/json': { schema: { type: 'object' } } }
	});
	const geojson = (description: string) => ({
		description,
		content: { 'application/geo+json': { schema: { type: 'object' } } }
	});
	const problem = { $ref: '#/components/responses/Problem' };
	// Every request needs a sign-in: a device token (Bearer) or the browser's session cookie.
	const refusals = {
		401: { $ref: '#/components/responses/Unauthorized' },
		403: { $ref: '#/components/responses/Forbidden' }
	};
	const f = { $ref: '#/components/parameters/f' };
	const crs = { $ref: '#/components/parameters/crs' };
	const collectionId = { $ref: '#/components/parameters/collectionId' };
	return {
		openapi: '3.0.3',
		info: {
			title: 'OneMap OGC API – Features',
			version: '1.0.0',
			description: 'Read-only access to the layers of the OneMap command map.'
		},
		servers: [{ url: base }],
		security: [{ bearer: [] }, { session: [] }],
		paths: {
			'/': {
				get: {
					summary: 'Landing page',
					parameters: [f],
					responses: { 200: json('Links to the API'), 400: problem, ...refusals }
				}
			},
			'/api': {
				get: {
					summary: 'This API definition',
					responses: { 200: json('OpenAPI 3.0'), ...refusals }
				}
			},
			'/conformance': {
				get: {
					summary: 'Conformance classes',
					parameters: [f],
					responses: { 200: json('conformsTo'), 400: problem, ...refusals }
				}
			},
			'/collections': {
				get: {
					summary: 'Feature collections',
					parameters: [f],
					responses: { 200: json('The collections'), 400: problem, ...refusals }
				}
			},
			'/collections/{collectionId}': {
				get: {
					summary: 'One collection',
					parameters: [collectionId, f],
					responses: { 200: json('The collection'), 404: problem, ...refusals }
				}
			},
			'/collections/{collectionId}/items': {
				get: {
					summary: 'Features of a collection',
					parameters: [
						collectionId,
						{
							name: 'limit',
							in: 'query',
							required: false,
							style: 'form',
							explode: false,
							schema: { type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT }
						},
						{
							name: 'bbox',
							in: 'query',
							required: false,
							style: 'form',
							explode: false,
							schema: { type: 'array', minItems: 4, maxItems: 6, items: { type: 'number' } }
						},
						{
							name: 'bbox-crs',
							in: 'query',
							required: false,
							description: `The CRS of bbox (default ${CRS84_URI}); EPSG:4326 and EPSG:4490 are latitude first.`,
							schema: { type: 'string', format: 'uri', enum: OGC_CRS_URIS }
						},
						crs,
						{
							name: 'datetime',
							in: 'query',
							required: false,
							description:
								'An RFC 3339 instant or interval (start/end, ../end, start/..). A bare date (2026-11-01) is that whole day in China Standard Time (UTC+8).',
							style: 'form',
							explode: false,
							schema: { type: 'string' }
						},
						{
							name: 'after',
							in: 'query',
							required: false,
							description: 'Paging key; use the next link rather than setting it yourself.',
							schema: { type: 'integer' }
						},
						f
					],
					responses: { 200: geojson('A page of features'), 400: problem, 404: problem, ...refusals }
				}
			},
			'/collections/{collectionId}/items/{featureId}': {
				get: {
					summary: 'One feature',
					parameters: [
						collectionId,
						{ name: 'featureId', in: 'path', required: true, schema: { type: 'string' } },
						crs,
						f
					],
					responses: { 200: geojson('The feature'), 404: problem, ...refusals }
				}
			}
		},
		components: {
			parameters: {
				f: { name: 'f', in: 'query', required: false, schema: { type: 'string', enum: ['json'] } },
				crs: {
					name: 'crs',
					in: 'query',
					required: false,
					description: `The CRS of the answer's coordinates (default ${CRS84_URI}, longitude first); EPSG:4326 and EPSG:4490 (CGCS2000) answer latitude first. The answer's Content-Crs header names it.`,
					schema: { type: 'string', format: 'uri', enum: OGC_CRS_URIS }
				},
				collectionId: {
					name: 'collectionId',
					in: 'path',
					required: true,
					schema: { type: 'string', enum: ids }
				}
			},
			securitySchemes: {
				bearer: {
					type: 'http',
					scheme: 'bearer',
					description:
						'A device token of role officer, issued on /admin (设备令牌); send it as Authorization: Bearer <token>.'
				},
				session: { type: 'apiKey', in: 'cookie', name: 'onemap_session' }
			},
			responses: {
				Unauthorized: {
					description: 'No valid sign-in: send a device token as a Bearer token.',
					content: { 'application/json': { schema: { type: 'object' } } }
				},
				Forbidden: {
					description: 'Signed in, but this role may not read the layers.',
					content: { 'application/json': { schema: { type: 'object' } } }
				},
				Problem: {
					description: 'What was wrong: { message, field }',
					content: { 'application/json': { schema: { type: 'object' } } }
				}
			}
		}
	};
}
