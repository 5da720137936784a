// Shapes of the node's plan answers (src/api/plan_routes.cpp, src/engine/plan_records.cpp,
// src/api/internal/review.cpp): plans with their versions, activations, tasks, notifications, the
// validator's diagnostics, version diffs and the after-action review. Fields the console does not
// rely on are optional and read defensively.

export interface PlanFinding {
  at: string;
  by: string;
  incident_id: string | null;
  text: string;
}

export interface LifecycleStep {
  status: string;
  by: string;
  at: string;
  note: string;
}

export interface PlanForce {
  type: string;
  count: number;
  capabilities: string[];
}

export interface PlanTaskSpec {
  key: string;
  owner: string;
  description: string;
  deadline_s: number;
  depends_on: string[];
  role: string;
}

export interface PlanLevel {
  level: string;
  when: { grades: string[]; thresholds: Record<string, number>; warning_level: string };
  lead: string;
  command_post: string;
  participants: Array<{ agency: string; duties: string[] }>;
  groups: string[];
  forces: PlanForce[];
  supplies: Array<{ item: string; quantity: number; unit: string; from: string }>;
  tasks: PlanTaskSpec[];
  notifications: Array<{ role: string; agency: string; channel: string; message: string }>;
  reports: Array<{ type: string; recipient_level: string; deadline_s: number }>;
}

export interface PlanGroup {
  key: string;
  name: string;
  lead: string;
  members: string[];
  duties: string[];
}

export interface PlanSpec {
  key: string;
  title: string;
  owner: string;
  drill_every_days: number;
  review_every_days: number;
  scope: { categories: string[]; types: string[]; jurisdictions: string[] };
  groups: PlanGroup[];
  levels: PlanLevel[];
}

export interface PlanVersion {
  number: number;
  status: string;
  author: string;
  saved_at: string;
  steps: LifecycleStep[];
  source?: string;
  plan?: PlanSpec;
}

/** GET /plans (each item) and GET /plans/{id} (with versions). */
export interface PlanSummary {
  id: string;
  jurisdiction: string;
  key: string;
  title: string;
  owner: string;
  latest_version: number;
  latest_status: string;
  effective_version: number | null;
  last_drilled_at: string | null;
  last_reviewed_at: string | null;
  findings: PlanFinding[];
  levels?: string[];
  scope?: { categories?: string[]; types?: string[]; jurisdictions?: string[] };
  drill_due_at?: string | null;
  review_due_at?: string | null;
  drill_overdue?: boolean;
  review_overdue?: boolean;
  versions?: PlanVersion[];
}

export interface Diagnostic {
  line: number;
  path: string;
  message: string;
  severity: 'error' | 'warning';
  text: string;
}

export interface ValidateAnswer {
  ok: boolean;
  errors: number;
  warnings: number;
  diagnostics: Diagnostic[];
  plan: PlanSpec | null;
}

export interface DiffLine {
  op: string; // ' ' | '+' | '-'
  text: string;
  old_line: number;
  new_line: number;
}

export interface DiffAnswer {
  plan_id: string;
  from: number;
  to: number;
  unified: string;
  lines: DiffLine[];
}

export interface TaskNote {
  at: string;
  by: string;
  action: string;
  text: string;
}

export interface Task {
  id: string;
  activation_id: string;
  incident_id: string;
  key: string;
  level: string;
  owner: string;
  agency_id: string | null;
  role: string;
  description: string;
  status: string; // waiting | open | accepted | in_progress | completed | stood_down
  depends_on: string[];
  created_at: string;
  deadline: string;
  accepted_at: string | null;
  started_at: string | null;
  completed_at: string | null;
  overdue: boolean;
  overdue_at: string | null;
  escalated_to: string | null;
  exercise: boolean;
  notes: TaskNote[];
}

export interface LevelChange {
  from: string;
  to: string;
  at: string;
  by: string;
  reason: string;
}

export interface Activation {
  id: string;
  incident_id: string;
  plan_id: string;
  plan_version: number;
  plan_title?: string;
  level: string;
  status: string; // active | stood_down
  automatic: boolean;
  exercise: boolean;
  activated_at: string;
  stood_down_at: string | null;
  lead: string;
  command_post: string;
  forces: PlanForce[];
  reports_due: Array<{ type: string; recipient_level: string; due_at: string; level: string }>;
  task_ids: string[];
  history: LevelChange[];
  tasks: Task[];
}

export interface PlanNotification {
  id: string;
  incident_id: string | null;
  activation_id: string | null;
  task_id: string | null;
  role: string;
  agency: string | null;
  channel: string;
  message: string;
  at: string;
  exercise: boolean;
  delivery: string;
}

/** GET /incidents/{id}/activations */
export interface ActivationsAnswer {
  incident_id: string;
  exercise: boolean;
  now: string;
  activations: Activation[];
  notifications: PlanNotification[];
}

export interface ReviewTask {
  id: string;
  key: string;
  description: string;
  owner: string;
  level: string;
  status: string;
  created_at: string;
  deadline: string;
  allowed_s: number;
  completed_at: string | null;
  taken_s: number | null;
  escalated_to: string | null;
  late_s: number | null;
  on_time: boolean;
}

export interface ReviewInterval {
  name: string;
  name_zh: string;
  target_s: number;
  actual_s: number | null;
  late_s: number | null;
  met: boolean | null;
}

/** GET /incidents/{id}/review */
export interface Review {
  incident: { id: string; title: string; type: string; jurisdiction: string; status: string; grade: string | null; exercise: boolean };
  generated_at: string;
  milestones: { opened_at: string; grade_confirmed_s: number | null; first_activation_s: number | null; closed_s: number | null };
  activations: Array<{
    id: string;
    plan_id: string;
    plan_title: string;
    plan_version: number;
    status: string;
    exercise: boolean;
    activated_at: string;
    offset_s: number;
    levels: LevelChange[];
  }>;
  tasks: ReviewTask[];
  task_summary: { total: number; on_time: number; completed_late: number; open: number; open_overdue: number; stood_down: number };
  intervals: ReviewInterval[];
  reports_due: Array<{ activation_id: string; type: string; recipient_level: string; due_at: string; level: string }>;
  late: Array<{ kind: string; id: string; what: string; late_s: number; still_open: boolean }>;
  timeline: Array<{ seq: number; time: string; offset_s: number; type: string; by: string; summary: string }>;
}
