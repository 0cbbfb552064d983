// The analytics, project-management and CRM tools of WorkBench (src/tools/analytics.py,
// project_management.py, customer_relationship_manager.py), line for line in what they
// return and change.
import { concatRow, hasValue, nextId, records, setRowAt, setWhere, type Row, type SandboxTables } from './tables.js';
import { byDate, containsTest, fail, text, truthy, type Args, type ToolSpec } from './tool-kit.js';

const PLOT_VALUES = ['total_visits', 'session_duration_seconds', 'user_engaged', 'visits_direct', 'visits_referral', 'visits_search_engine', 'visits_social_media'];
const PLOT_TYPES = ['bar', 'line', 'scatter', 'histogram'];
const LISTS = ['Backlog', 'In Progress', 'In Review', 'Completed'];
const BOARDS = ['Back end', 'Front end', 'Design'];
const STATUSES = ['Qualified', 'Won', 'Lost', 'Lead', 'Proposal'];
const PRODUCTS = ['Software', 'Hardware', 'Services', 'Consulting', 'Training'];

/** The analytics rows of a [time_min, time_max] range (string comparison of ISO dates, as the Python). */
function visits(s: SandboxTables, a: Args): Row[] {
  let rows = s.analytics.rows;
  if (truthy(a.time_min)) rows = rows.filter((r) => String(r.v.date_of_visit) >= text(a.time_min));
  if (truthy(a.time_max)) rows = rows.filter((r) => String(r.v.date_of_visit) <= text(a.time_max));
  return rows;
}

/** groupby("date_of_visit") then an aggregate of each group. */
function perDate<T>(rows: Row[], aggregate: (group: Row[]) => T): Record<string, T> {
  const groups = new Map<string, Row[]>();
  for (const r of rows) {
    const d = String(r.v.date_of_visit);
    groups.set(d, [...(groups.get(d) ?? []), r]);
  }
  return byDate([...groups].map(([d, g]) => [d, aggregate(g)]));
}

/** `df[df[column].str.contains(value, case=False)]` for each search parameter given. */
function searchRows(rows: Row[], a: Args, columns: string[]): Row[] {
  let out = rows;
  for (const c of columns) {
    if (!truthy(a[c])) continue;
    const match = containsTest(text(a[c]), false);
    out = out.filter((r) => match(r.v[c]));
  }
  return out;
}

const ANALYTICS: ToolSpec[] = [
  {
    name: 'analytics.get_visitor_information_by_id',
    params: ['visitor_id'],
    sideEffects: false,
    run: (s, a) => {
      if (!truthy(a.visitor_id)) fail('Visitor ID not provided.');
      const rows = s.analytics.rows.filter((r) => r.v.visitor_id === a.visitor_id);
      return rows.length ? records(s.analytics, rows) : fail('Visitor not found.');
    },
  },
  {
    name: 'analytics.create_plot',
    params: ['time_min', 'time_max', 'value_to_plot', 'plot_type'],
    sideEffects: true,
    run: (s, a) => {
      if (!truthy(a.time_min)) fail('Start date not provided.');
      if (!truthy(a.time_max)) fail('End date not provided.');
      if (!PLOT_VALUES.includes(a.value_to_plot as string)) fail("Value to plot must be one of 'total_visits', 'session_duration_seconds', 'user_engaged', 'direct', 'referral', 'search engine', 'social media'");
      if (!PLOT_TYPES.includes(a.plot_type as string)) fail("Plot type must be one of 'bar', 'line', 'scatter', or 'histogram'");
      const path = `plots/${text(a.time_min)}_${text(a.time_max)}_${text(a.value_to_plot)}_${text(a.plot_type)}.png`;
      setRowAt(s.plots, s.plots.rows.length, { file_path: path });
      return path;
    },
  },
  { name: 'analytics.total_visits_count', params: ['time_min', 'time_max'], sideEffects: false, run: (s, a) => perDate(visits(s, a), (g) => g.length) },
  { name: 'analytics.engaged_users_count', params: ['time_min', 'time_max'], sideEffects: false, run: (s, a) => perDate(visits(s, a), (g) => g.filter((r) => r.v.user_engaged === true).length) },
  {
    name: 'analytics.traffic_source_count',
    params: ['time_min', 'time_max', 'traffic_source'],
    sideEffects: false,
    run: (s, a) => perDate(visits(s, a), (g) => (truthy(a.traffic_source) ? g.filter((r) => r.v.traffic_source === a.traffic_source).length : g.length)),
  },
  {
    name: 'analytics.get_average_session_duration',
    params: ['time_min', 'time_max'],
    sideEffects: false,
    run: (s, a) => perDate(visits(s, a), (g) => g.reduce((n, r) => n + Number(r.v.session_duration_seconds), 0) / g.length),
  },
];

const PROJECT: ToolSpec[] = [
  {
    name: 'project_management.get_task_information_by_id',
    params: ['task_id', 'field'],
    sideEffects: false,
    run: (s, a) => {
      if (!truthy(a.task_id)) fail('Task ID not provided.');
      if (!truthy(a.field)) fail('Field not provided.');
      const row = s.projectTasks.rows.find((r) => r.v.task_id === a.task_id);
      if (!row) return fail('Task not found.');
      const f = text(a.field);
      return s.projectTasks.columns.includes(f) ? { [f]: row.v[f] ?? null } : fail('Field not found.');
    },
  },
  {
    name: 'project_management.search_tasks',
    params: ['task_name', 'assigned_to_email', 'list_name', 'due_date', 'board'],
    sideEffects: false,
    run: (s, a) => {
      const columns = ['task_name', 'assigned_to_email', 'list_name', 'due_date', 'board'];
      if (!columns.some((c) => truthy(a[c]))) fail('No search parameters provided.');
      return records(s.projectTasks, searchRows(s.projectTasks.rows, a, columns));
    },
  },
  {
    name: 'project_management.create_task',
    params: ['task_name', 'assigned_to_email', 'list_name', 'due_date', 'board'],
    sideEffects: true,
    run: (s, a) => {
      if (!['task_name', 'assigned_to_email', 'list_name', 'due_date', 'board'].every((c) => truthy(a[c]))) fail('Missing task details.');
      const assignee = text(a.assigned_to_email).toLowerCase();
      if (!s.projectTasks.rows.some((r) => String(r.v.assigned_to_email).toLowerCase() === assignee)) fail('Assignee email not valid. Please choose from the list of team members.');
      if (!LISTS.includes(a.list_name as string)) fail("List not valid. Please choose from: 'Backlog', 'In Progress', 'In Review', 'Completed'.");
      if (!BOARDS.includes(a.board as string)) fail("Board not valid. Please choose from: 'Back end', 'Front end', 'Design'.");
      const id = nextId(s.projectTasks, 'task_id', 8);
      concatRow(s.projectTasks, { task_id: id, task_name: text(a.task_name), assigned_to_email: assignee, list_name: text(a.list_name), due_date: text(a.due_date), board: text(a.board) }, true);
      return id;
    },
  },
  {
    name: 'project_management.delete_task',
    params: ['task_id'],
    sideEffects: true,
    run: (s, a) => {
      if (!truthy(a.task_id)) fail('Task ID not provided.');
      if (!hasValue(s.projectTasks, 'task_id', a.task_id)) return fail('Task not found.');
      s.projectTasks.rows = s.projectTasks.rows.filter((r) => r.v.task_id !== a.task_id);
      return 'Task deleted successfully.';
    },
  },
  {
    name: 'project_management.update_task',
    params: ['task_id', 'field', 'new_value'],
    sideEffects: true,
    run: (s, a) => {
      if (!truthy(a.task_id) || !truthy(a.field) || !truthy(a.new_value)) fail('Task ID, field, or new value not provided.');
      const field = text(a.field);
      const value = field === 'assigned_to_email' ? text(a.new_value).toLowerCase() : text(a.new_value);
      if (field === 'board' && !BOARDS.includes(value)) fail("Board not valid. Please choose from: 'Back end', 'Front end', 'Design'.");
      if (field === 'list_name' && !LISTS.includes(value)) fail("List not valid. Please choose from: 'Backlog', 'In Progress', 'In Review', 'Completed'.");
      if (field === 'assigned_to_email' && !s.projectTasks.rows.some((r) => String(r.v.assigned_to_email).toLowerCase() === value)) fail('Assignee email not valid. Please choose from the list of team members.');
      if (!hasValue(s.projectTasks, 'task_id', a.task_id)) return fail('Task not found.');
      if (!s.projectTasks.columns.includes(field)) return fail('Field not valid.');
      setWhere(s.projectTasks, (r) => r.v.task_id === a.task_id, field, value);
      return 'Task updated successfully.';
    },
  },
];

const CRM_SEARCH = ['customer_name', 'customer_email', 'product_interest', 'status', 'assigned_to_email'];
const CRM_DATES: [string, string, 'min' | 'max'][] = [
  ['last_contact_date_min', 'last_contact_date', 'min'],
  ['last_contact_date_max', 'last_contact_date', 'max'],
  ['follow_up_by_min', 'follow_up_by', 'min'],
  ['follow_up_by_max', 'follow_up_by', 'max'],
];

const CRM: ToolSpec[] = [
  {
    name: 'customer_relationship_manager.search_customers',
    params: [...CRM_SEARCH, ...CRM_DATES.map(([p]) => p)],
    sideEffects: false,
    run: (s, a) => {
      if (![...CRM_SEARCH, ...CRM_DATES.map(([p]) => p)].some((p) => truthy(a[p]))) fail('No search parameters provided. Please provide at least one parameter.');
      let rows = searchRows(s.crm.rows, a, CRM_SEARCH);
      for (const [p, column, side] of CRM_DATES) {
        if (!truthy(a[p])) continue;
        const bound = text(a[p]);
        rows = rows.filter((r) => r.v[column] !== null && (side === 'min' ? String(r.v[column]) >= bound : String(r.v[column]) <= bound));
      }
      return records(s.crm, rows).slice(0, 5);
    },
  },
  {
    name: 'customer_relationship_manager.update_customer',
    params: ['customer_id', 'field', 'new_value'],
    sideEffects: true,
    run: (s, a) => {
      if (!truthy(a.customer_id) || !truthy(a.field) || !truthy(a.new_value)) fail('Customer ID, field, or new value not provided.');
      const field = text(a.field);
      let value = text(a.new_value);
      if (field === 'status' && !STATUSES.includes(value)) fail("Status not valid. Please choose from: 'Qualified', 'Won', 'Lost', 'Lead', 'Proposal'");
      if (field === 'product_interest' && !PRODUCTS.includes(value)) fail("Product interest not valid. Please choose from: 'Software', 'Hardware', 'Services', 'Consulting', 'Training'");
      if (field === 'customer_email' || field === 'assigned_to_email') value = value.toLowerCase();
      if (!hasValue(s.crm, 'customer_id', a.customer_id)) return fail('Customer not found.');
      if (!s.crm.columns.includes(field)) return fail("Field not valid. Please choose from: 'customer_name', 'assigned_to_email', 'customer_email', 'customer_phone', 'last_contact_date', 'product_interest', 'status', 'notes', 'follow_up_by'");
      setWhere(s.crm, (r) => r.v.customer_id === a.customer_id, field, value);
      return 'Customer updated successfully.';
    },
  },
  {
    name: 'customer_relationship_manager.add_customer',
    params: ['customer_name', 'assigned_to_email', 'status', 'customer_email', 'customer_phone', 'last_contact_date', 'product_interest', 'notes', 'follow_up_by'],
    defaults: { notes: '' },
    sideEffects: true,
    run: (s, a) => {
      if (!truthy(a.customer_name) || !truthy(a.assigned_to_email) || !truthy(a.status)) fail('Please provide all required fields: customer_name, assigned_to_email, status.');
      const opt = (v: unknown) => (v === null || v === undefined ? null : text(v));
      const id = nextId(s.crm, 'customer_id', 8);
      const email = truthy(a.customer_email) ? text(a.customer_email).toLowerCase() : opt(a.customer_email);
      concatRow(
        s.crm,
        {
          customer_id: id,
          assigned_to_email: text(a.assigned_to_email).toLowerCase(),
          customer_name: text(a.customer_name),
          customer_email: email,
          customer_phone: opt(a.customer_phone),
          last_contact_date: opt(a.last_contact_date),
          product_interest: opt(a.product_interest),
          status: text(a.status),
          follow_up_by: opt(a.follow_up_by),
          notes: opt(a.notes),
        },
        true,
      );
      return id;
    },
  },
  {
    name: 'customer_relationship_manager.delete_customer',
    params: ['customer_id'],
    sideEffects: true,
    run: (s, a) => {
      if (!truthy(a.customer_id)) fail('Customer ID not provided.');
      if (!hasValue(s.crm, 'customer_id', a.customer_id)) return fail('Customer not found.');
      s.crm.rows = s.crm.rows.filter((r) => r.v.customer_id !== a.customer_id);
      return 'Customer deleted successfully.';
    },
  },
];

export const RECORD_TOOLS: ToolSpec[] = [...ANALYTICS, ...PROJECT, ...CRM];
