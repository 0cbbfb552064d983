// The calendar, e-mail and company-directory tools of WorkBench (src/tools/calendar.py,
// email.py, company_directory.py), line for line in what they return and change.
import { concatRow, hasValue, nextId, records, setRowAt, setWhere, type SandboxTables, type Table } from './tables.js';
import { containsTest, dateOf, fail, raise, text, timestamp, truthy, type Args, type ToolSpec } from './tool-kit.js';

/** WorkBench's HARDCODED_CURRENT_TIME, the time of every task. */
export const CURRENT_TIME = '2023-11-30 00:00:00';

/** `get_*_information_by_id`: one field of the first row with that id. */
function fieldOf(t: Table, idColumn: string, id: unknown, field: unknown, noun: string): unknown {
  if (!truthy(id)) fail(`${noun} ID not provided.`);
  if (!truthy(field)) fail('Field not provided.');
  const row = t.rows.find((r) => r.v[idColumn] === id);
  if (!row) return fail(`${noun} not found.`);
  const f = text(field);
  if (!t.columns.includes(f)) return fail('Field not found.');
  return { [f]: row.v[f] ?? null };
}

/** email.send_email's body, also called by forward and reply. */
function sendEmail(s: SandboxTables, recipient: unknown, subject: unknown, body: unknown): string {
  if (!truthy(recipient) || !truthy(subject) || !truthy(body)) return fail('Recipient, subject, or body not provided.');
  const to = text(recipient);
  if (!to.includes('@') || !to.includes('.')) return fail('Invalid recipient email address.');
  const id = nextId(s.emails, 'email_id', 0);
  // EMAILS.loc[len(EMAILS)] = [...]: after a deletion this label can be an existing row's
  setRowAt(s.emails, s.emails.rows.length, { email_id: id, 'inbox/outbox': 'outbox', 'sender/recipient': to.toLowerCase(), subject: text(subject), sent_datetime: CURRENT_TIME, body: text(body) });
  return 'Email sent successfully.';
}

export const OFFICE_TOOLS: ToolSpec[] = [
  {
    name: 'calendar.get_event_information_by_id',
    params: ['event_id', 'field'],
    sideEffects: false,
    run: (s, a) => fieldOf(s.calendar, 'event_id', a.event_id, a.field, 'Event'),
  },
  {
    name: 'calendar.search_events',
    params: ['query', 'time_min', 'time_max'],
    defaults: { query: '' },
    sideEffects: false,
    run: (s, a) => {
      const match = containsTest(a.query, false);
      let rows = s.calendar.rows.filter((r) => match(r.v.event_name) || match(r.v.participant_email));
      if (truthy(a.time_min)) {
        const min = timestamp(a.time_min);
        rows = rows.filter((r) => timestamp(r.v.event_start) >= min);
      }
      if (truthy(a.time_max)) {
        const max = timestamp(a.time_max);
        rows = rows.filter((r) => timestamp(r.v.event_start) <= max);
      }
      return rows.length ? records(s.calendar, rows.slice(0, 5)) : 'No events found.';
    },
  },
  {
    name: 'calendar.create_event',
    params: ['event_name', 'participant_email', 'event_start', 'duration'],
    sideEffects: true,
    run: (s, a) => {
      if (!truthy(a.event_name)) fail('Event name not provided.');
      if (!truthy(a.participant_email)) fail('Participant email not provided.');
      if (!truthy(a.event_start)) fail('Event start not provided.');
      if (!truthy(a.duration)) fail('Event duration not provided.');
      const id = nextId(s.calendar, 'event_id', 8);
      concatRow(s.calendar, { event_id: id, event_name: text(a.event_name), participant_email: text(a.participant_email).toLowerCase(), event_start: text(a.event_start), duration: text(a.duration) }, false);
      return id;
    },
  },
  {
    name: 'calendar.delete_event',
    params: ['event_id'],
    sideEffects: true,
    run: (s, a) => {
      if (!truthy(a.event_id)) fail('Event ID not provided.');
      if (!hasValue(s.calendar, 'event_id', a.event_id)) return fail('Event not found.');
      s.calendar.rows = s.calendar.rows.filter((r) => r.v.event_id !== a.event_id);
      return 'Event deleted successfully.';
    },
  },
  {
    name: 'calendar.update_event',
    params: ['event_id', 'field', 'new_value'],
    sideEffects: true,
    run: (s, a) => {
      if (!truthy(a.event_id) || !truthy(a.field) || !truthy(a.new_value)) fail('Event ID, field, or new value not provided.');
      if (!hasValue(s.calendar, 'event_id', a.event_id)) return fail('Event not found.');
      const field = text(a.field);
      const value = field === 'participant_email' ? text(a.new_value).toLowerCase() : text(a.new_value);
      setWhere(s.calendar, (r) => r.v.event_id === a.event_id, field, value);
      return 'Event updated successfully.';
    },
  },
  {
    name: 'email.get_email_information_by_id',
    params: ['email_id', 'field'],
    sideEffects: false,
    run: (s, a) => fieldOf(s.emails, 'email_id', a.email_id, a.field, 'Email'),
  },
  {
    name: 'email.search_emails',
    params: ['query', 'date_min', 'date_max'],
    defaults: { query: '' },
    sideEffects: false,
    run: (s, a) => {
      if (typeof a.query !== 'string') return raise("AttributeError: 'NoneType' object has no attribute 'lower'");
      const words = a.query.toLowerCase().split(/\s+/).filter(Boolean);
      const hit = s.emails.rows.filter((r) => {
        const all = `${r.v.subject ?? 'nan'} ${r.v.body ?? 'nan'} ${r.v['sender/recipient'] ?? 'nan'}`.toLowerCase();
        return words.every((w) => all.includes(w));
      });
      let rows = [...hit].sort((x, y) => (String(y.v.sent_datetime) > String(x.v.sent_datetime) ? 1 : String(y.v.sent_datetime) < String(x.v.sent_datetime) ? -1 : 0));
      if (truthy(a.date_min)) {
        const min = dateOf(timestamp(a.date_min));
        rows = rows.filter((r) => dateOf(timestamp(r.v.sent_datetime)) >= min);
      }
      if (truthy(a.date_max)) {
        const max = dateOf(timestamp(a.date_max));
        rows = rows.filter((r) => dateOf(timestamp(r.v.sent_datetime)) <= max);
      }
      return rows.length ? records(s.emails, rows.slice(0, 5)) : 'No emails found.';
    },
  },
  {
    name: 'email.send_email',
    params: ['recipient', 'subject', 'body'],
    sideEffects: true,
    run: (s, a) => sendEmail(s, a.recipient, a.subject, a.body),
  },
  {
    name: 'email.delete_email',
    params: ['email_id'],
    sideEffects: true,
    run: (s, a) => {
      if (!truthy(a.email_id)) fail('Email ID not provided.');
      if (!hasValue(s.emails, 'email_id', a.email_id)) return fail('Email not found.');
      s.emails.rows = s.emails.rows.filter((r) => r.v.email_id !== a.email_id);
      return 'Email deleted successfully.';
    },
  },
  {
    name: 'email.forward_email',
    params: ['email_id', 'recipient'],
    sideEffects: true,
    run: (s, a) => {
      if (!truthy(a.email_id) || !truthy(a.recipient)) fail('Email ID or recipient not provided.');
      const email = s.emails.rows.find((r) => r.v.email_id === a.email_id);
      if (!email) return fail('Email not found.');
      const to = text(a.recipient);
      if (!to.includes('@') || !to.includes('.')) fail('Invalid recipient email address.');
      sendEmail(s, to.toLowerCase(), `FW: ${email.v.subject ?? 'nan'}`, email.v.body);
      return 'Email forwarded successfully.';
    },
  },
  {
    name: 'email.reply_email',
    params: ['email_id', 'body'],
    sideEffects: true,
    run: (s, a) => {
      if (!truthy(a.email_id) || !truthy(a.body)) fail('Email ID or body not provided.');
      const email = s.emails.rows.find((r) => r.v.email_id === a.email_id);
      if (!email) return fail('Email not found.');
      sendEmail(s, email.v['sender/recipient'], email.v.subject, a.body);
      return 'Email replied successfully.';
    },
  },
  {
    name: 'company_directory.find_email_address',
    params: ['name'],
    defaults: { name: '' },
    sideEffects: false,
    run: (s, a: Args) => {
      if (a.name === '') return fail('Name not provided.');
      if (typeof a.name !== 'string') return raise("AttributeError: 'NoneType' object has no attribute 'lower'");
      const match = containsTest(a.name.toLowerCase(), true);
      return s.directory.filter((e) => match(e));
    },
  },
];
