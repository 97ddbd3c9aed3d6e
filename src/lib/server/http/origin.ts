/**
 * The origin the client used. adapter-node assumes https when neither ORIGIN nor
 * PROTOCOL_HEADER is set (`event.url` then says https even for a plain-http request); without
 * them, a direct connection is taken as http — as the OGC links do (ogc/service.ts).
 */
export function requestOrigin(
	url: URL,
	env: Record<string, string | undefined> = process.env
): string {
	return env.ORIGIN || env.PROTOCOL_HEADER ? url.origin : `http://${url.host}`;
}
