// Shapes of the node's information-report API (docs/API.md "Reports", engine/report_records.cpp):
// reports (初报, 续报, 终报, 专报, 日报, 简报) with their working draft and submitted versions, the
// obligations to report with their deadlines, and the statistics answer. Plus the required elements
// in the order the editor shows them, and small helpers shared by the page's parts.
import { API } from './api';

export type ReportType = 'initial' | 'progress' | 'final' | 'special' | 'daily' | 'bulletin';
export const REPORT_TYPES: ReportType[] = ['initial', 'progress', 'final', 'special', 'daily', 'bulletin'];
/** Types drafted about one incident (the node requires its id). */
export const INCIDENT_TYPES: ReportType[] = ['initial', 'progress', 'final'];
/** Types drafted for a period of the office's record. */
export const PERIOD_TYPES: ReportType[] = ['daily', 'bulletin'];

export interface Consequences {
  deaths: number | null; // null: not stated
  injuries: number | null;
  missing: number | null;
  affected: number | null;
  direct_loss_yuan: number | null;
}
export const CONSEQUENCE_KEYS: Array<keyof Consequences> = ['deaths', 'injuries', 'missing', 'affected', 'direct_loss_yuan'];

/** The working form of a content: times and periods '' when not set (null on the wire). */
export interface Content {
  title: string;
  time: string;
  place: string;
  source: string;
  cause_nature: string;
  course: string;
  consequences: Consequences;
  scope: string;
  trend: string;
  measures: string;
  next_steps: string;
  reporting_unit: string;
  contact: string;
  body: string;
  period_from: string;
  period_to: string;
}

/** The text elements, in the order of the editor; `consequences` and `period` are drawn apart. */
export const TEXT_ELEMENTS = ['time', 'place', 'source', 'cause_nature', 'course', 'scope', 'trend', 'measures', 'next_steps', 'reporting_unit', 'contact'] as const;
export type TextElement = (typeof TEXT_ELEMENTS)[number];
/** One-line elements (an input rather than a textarea). */
export const SHORT_ELEMENTS = new Set<string>(['time', 'place', 'source', 'reporting_unit', 'contact']);

export interface MissingElement {
  element: string;
  name_zh: string;
  why: string;
}

export interface ReportVersion {
  number: number;
  content: Content;
  submitted_at: string;
  by: string;
  changed: string[];
  note: string;
  late: boolean;
  delay_ms: number;
}

export interface Report {
  id: string;
  type: ReportType;
  channel: string;
  jurisdiction: string;
  to_jurisdiction: string;
  from_tier?: string;
  incident_id: string;
  status: 'draft' | 'submitted' | 'received' | 'returned';
  number: number;
  title: string;
  content: Content;
  missing: MissingElement[];
  versions: ReportVersion[];
  obligation_ids: string[];
  late: boolean;
  delay_ms: number;
  received: { by: string; at: string; version?: number } | null;
  returns: Array<{ by: string; at: string; reason: string; version: number }>;
  exercise: boolean;
  created_by: string;
  created_at: string;
  updated_at: string;
  /** Lists leave the versions out and give their count; GET /reports/{id} and events have them. */
  version_count?: number;
  /** Set here when the record came without its versions (from a list): fetch it to show it. */
  partial?: boolean;
  /** Whether the person may acknowledge or return it (report.review over the receiving office). */
  may_review?: boolean;
  /** Display names of the people its trail names (API answers only; events carry ids). */
  people?: Record<string, string>;
}

const peopleNames = new Map<string, string>();

/** Keeps the display names a report from the API brought. */
export function rememberPeople(r: Report): void {
  for (const [id, name] of Object.entries(r.people ?? {})) if (name) peopleNames.set(id, name);
}

/** A person's display name when one has been seen, else the id. */
export function who(id: string): string {
  return peopleNames.get(id) ?? id;
}

/** How many versions have been submitted (also for a record from a list). */
export const versionCount = (r: Report) => Math.max(r.versions.length, r.version_count ?? 0);

export interface Obligation {
  id: string;
  jurisdiction: string;
  to_jurisdiction: string;
  from_tier: string;
  to_tier: string;
  report_type: ReportType;
  channel: string;
  incident_id: string;
  trigger: string;
  rule_id: string;
  basis: string;
  created_at: string;
  due_at: string;
  status: 'open' | 'overdue' | 'fulfilled' | 'cancelled';
  fulfilled_at: string | null;
  report_id: string;
  late: boolean;
  delay_ms: number;
  escalated_to: string;
  exercise?: boolean;
}

export const isActive = (o: Obligation) => o.status === 'open' || o.status === 'overdue';

export const METRICS = [
  'incidents',
  'deaths',
  'injuries',
  'missing',
  'affected',
  'direct_loss_yuan',
  'reports_due',
  'reports_on_time',
  'reports_late',
  'on_time_share',
  'mean_delay_min',
  'mean_dispatch_s',
  'mean_arrival_s',
  'p90_arrival_s',
] as const;
export type Metric = (typeof METRICS)[number];
export type StatsFigures = { [K in Metric]?: number | null };
export interface StatsRow extends StatsFigures {
  key: string[];
}
export interface Stats {
  columns: string[];
  rows: StatsRow[];
  total: StatsFigures;
}

/** The rendered document of a report (the node's HTML or PDF), optionally of one version. */
export function documentUrl(id: string, format: 'html' | 'pdf', version?: number): string {
  return `${API}/reports/${encodeURIComponent(id)}/document?format=${format}${version ? `&version=${version}` : ''}`;
}

/** The sequence number at the end of an id (441200-RPT-12 → 12). */
export function idSeq(id: string): number {
  const n = Number(id.slice(id.lastIndexOf('-') + 1));
  return Number.isFinite(n) ? n : 0;
}

/** The content submitted last (what the receiving level reads), or the working draft before that. */
export function latestContent(r: Report): Content {
  return r.versions.length ? r.versions[r.versions.length - 1].content : r.content;
}

/** The content as the node reads it: unset times are null. */
export function wireContent(c: Content): Record<string, unknown> {
  return { ...c, time: c.time || null, period_from: c.period_from || null, period_to: c.period_to || null, consequences: { ...c.consequences } };
}

/** An empty content (every element unstated). */
export function emptyContent(): Content {
  return {
    title: '', time: '', place: '', source: '', cause_nature: '', course: '',
    consequences: { deaths: null, injuries: null, missing: null, affected: null, direct_loss_yuan: null },
    scope: '', trend: '', measures: '', next_steps: '', reporting_unit: '', contact: '', body: '', period_from: '', period_to: '',
  };
}

/** A content read defensively (fields the node leaves out are empty). */
export function normContent(c: Partial<Content> | null | undefined): Content {
  const out = emptyContent();
  if (!c) return out;
  for (const k of Object.keys(out) as Array<keyof Content>) {
    if (k === 'consequences') continue;
    const v = c[k];
    if (typeof v === 'string') (out[k] as string) = v;
  }
  const q = c.consequences;
  if (q) for (const k of CONSEQUENCE_KEYS) out.consequences[k] = typeof q[k] === 'number' ? q[k] : null;
  return out;
}
