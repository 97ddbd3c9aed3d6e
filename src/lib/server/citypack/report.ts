/**
 * A check report as plain text for a terminal (`npm run city -- check`): every problem, repair
 * and note, located, in Chinese and English.
 */
import type {
	ImportMode,
	PackMessage,
	PackReport,
	SourceRef,
	UpdateSummary
} from '$lib/domain/cityPack';

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

const MODE: Record<ImportMode, [string, string]> = {
	fresh: ['新建', 'fresh'],
	takeover: ['替换演示城市', 'took over from the demo city'],
	update: ['更新', 'update']
};

/** The import's outcome for a terminal: mode, and for an update what changed. */
export function formatImport(r: {
	mode: ImportMode;
	importId: number;
	seconds: number;
	update: UpdateSummary | null;
}): string {
	const [zh, en] = MODE[r.mode];
	const lines = [
		`✓ 已导入（${zh}，第 ${r.importId} 次导入，${r.seconds} 秒） Imported (${en}, import #${r.importId}, ${r.seconds} s)`
	];
	const u = r.update;
	if (u) {
		lines.push(
			`  ${u.plans} 个社区发布了新网格方案，${u.incidentsMoved} 个事件重新落位，新增 ${u.added} 个、移除 ${u.removed} 个区划单元`,
			`  ${u.plans} communities got a new grid plan version, ${u.incidentsMoved} incidents placed again, ${u.added} units added, ${u.removed} removed`
		);
		if (u.incidentsSkipped)
			lines.push(
				'  事件历史已存在，数据包中的事件未重复导入 · The city already has its incidents: the pack’s history was not loaded again'
			);
	}
	return lines.join('\n');
}
