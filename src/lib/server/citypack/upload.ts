/** A city pack as /admin uploads it: the request body, a .zip, within CITY_PACK_MAX_BYTES. */
import { CITY_PACK_MAX_BYTES } from '$lib/domain/cityPack';
import { readBodyBytes } from '../http/body';
import { ApiError } from '../http/errors';
import type { PackSource } from '.';

export async function readUploadedPack(request: Request): Promise<PackSource> {
	const type = (request.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
	if (!/^application\/(zip|x-zip-compressed|octet-stream)$/.test(type))
		throw new ApiError(
			415,
			`Send the city pack as one .zip (application/zip), not "${type || 'none'}". 请将城市数据包打成一个 .zip 上传。`
		);
	const bytes = await readBodyBytes(
		request,
		CITY_PACK_MAX_BYTES,
		'import a larger pack with "npm run city -- import <pack>" on the server'
	);
	const name = request.headers.get('x-file-name') ?? undefined;
	return { zip: new Uint8Array(bytes), name: name ? decodeURIComponent(name) : undefined };
}
