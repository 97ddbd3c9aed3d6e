/**
 * A check report as plain text for a terminal (`npm run city -- check`): every problem, repair
 * and note, located, in Chinese and English.
 */
import type { PackMessage, PackReport, SourceRef } from '$lib/domain/cityPack';

const MARK: Record<PackMessage['severity'], string> = { error: '✗', repair: '~', note: '·' };

function where(s: SourceRef | undefined): string {
	if (!s) return '';
	const parts = [s.file];
	if (s.layer) parts.push(`layer ${s.layer}`);
	if (s.index !== undefined) parts.push(`#${s.index + 1}`);
	if (s.field) parts.push(`field ${s.field}`);
	return parts.join(', ');
}

/** One message, two or three lines: zh, en, then where (file, feature, field, point, area). */
export function formatMessage(m: PackMessage): string {
	const loc = [
		where(m.source),
		m.unit ? `${m.unit.level} ${m.unit.id}${m.unit.name ? ` ${m.unit.name}` : ''}` : '',
		m.at ? `(${m.at[0].toFixed(6)}, ${m.at[1].toFixed(6)})` : '',
		m.areaM2 !== undefined ? `${formatArea(m.areaM2)}` : ''
	]
		.filter(Boolean)
		.join(' · ');
	return [
		`${MARK[m.severity]} [${m.code}] ${m.zh}`,
		`    ${m.en}`,
		...(loc ? [`    @ ${loc}`] : [])
	].join('\n');
}

export function formatArea(m2: number): string {
	return m2 >= 1e6
		? `${(m2 / 1e6).toFixed(2)} km²`
		: `${m2 < 10 ? m2.toFixed(2) : Math.round(m2)} m²`;
}

export function formatReport(r: PackReport): string {
	const c = r.counts;
	const head = r.pack.code
		? `${r.pack.name} (${r.pack.code}) · ${r.pack.version}${r.pack.synthetic ? ' · 演示数据 synthetic' : ''}`
		: '(no readable city.json · 未能读取 city.json)';
	const lines = [
		head,
		`区/县 districts ${c.district} · 街道/镇 streets ${c.street} · 社区/村 communities ${c.community} · 网格 grids ${c.grid}`,
		`危化企业 hazmat sites ${c.hazmatSites} · 运输通道 lanes ${c.hazmatLanes} · 巡逻路线 routes ${c.patrolRoutes} · 巡逻单元 units ${c.patrolUnits} · 事件 incidents ${c.incidents}`,
		''
	];
	const section = (title: string, list: PackMessage[]) => {
		if (!list.length) return;
		lines.push(`${title} (${list.length})`);
		for (const m of list) lines.push(formatMessage(m));
		lines.push('');
	};
	section('问题 Problems', r.errors);
	section('已修复 Repairs', r.repairs);
	section('说明 Notes', r.notes);
	lines.push(
		r.ok
			? `✓ 可以导入 The pack can be imported (${r.seconds} s)`
			: `✗ 拒绝导入：${r.errors.length} 个问题，未写入任何数据 Refused: ${r.errors.length} problem(s); nothing was written (${r.seconds} s)`
	);
	return lines.join('\n');
}
