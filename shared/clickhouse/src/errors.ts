// What a failed ClickHouse call means for the caller: wait and retry, or give up on the rows.

/**
 * - `unavailable`: the server could not be reached or is overloaded; retry the same work later.
 * - `rejected`: the server refused the data itself (parse, type, enum, range); retrying the
 *   same rows fails the same way, so they are set aside (the sink dead-letters them).
 * - `server`: any other server error (unknown table, permissions, ...): an operator problem;
 *   retried, never blamed on the rows.
 */
export type FailureKind = 'unavailable' | 'rejected' | 'server';

// Codes whose cause is the inserted data. Same numbers on 18.16 and current releases.
const DATA_ERRORS = new Set([
  6, // CANNOT_PARSE_TEXT
  25, // CANNOT_PARSE_ESCAPE_SEQUENCE
  26, // CANNOT_PARSE_QUOTED_STRING
  27, // CANNOT_PARSE_INPUT_ASSERTION_FAILED
  32, // ATTEMPT_TO_READ_AFTER_EOF
  33, // CANNOT_READ_ALL_DATA
  38, // CANNOT_PARSE_DATE
  41, // CANNOT_PARSE_DATETIME
  49, // LOGICAL_ERROR, which 18.16 raises for an unknown Enum element
  53, // TYPE_MISMATCH
  69, // ARGUMENT_OUT_OF_BOUND
  70, // CANNOT_CONVERT_TYPE
  72, // CANNOT_PARSE_NUMBER
  117, // INCORRECT_DATA
  131, // TOO_LARGE_STRING_SIZE
  321, // VALUE_IS_OUT_OF_RANGE_OF_DATA_TYPE
  691, // UNKNOWN_ELEMENT_OF_ENUM (current releases)
]);

// Server-side conditions that pass by themselves.
const TRANSIENT_ERRORS = new Set([
  159, // TIMEOUT_EXCEEDED
  164, // READONLY (e.g. during a restart)
  202, // TOO_MANY_SIMULTANEOUS_QUERIES
  209, // SOCKET_TIMEOUT
  210, // NETWORK_ERROR
  241, // MEMORY_LIMIT_EXCEEDED
  242, // TABLE_IS_READ_ONLY
  252, // TOO_MANY_PARTS
  425, // SYSTEM_ERROR
]);

/** The ClickHouse error code of an error, from the client's parse or the message text (18.16 style). */
export function clickHouseErrorCode(error: unknown): number | undefined {
  if (!error || typeof error !== 'object') return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && /^\d+$/.test(code)) return Number(code);
  if (typeof code === 'number') return code;
  const message = (error as { message?: unknown }).message;
  const m = typeof message === 'string' ? /\bCode: (\d+)[.,]/.exec(message) : null;
  return m ? Number(m[1]) : undefined;
}

/** Classifies a failed call; an error without a ClickHouse code (refused socket, timeout) is `unavailable`. */
export function classifyFailure(error: unknown): FailureKind {
  const code = clickHouseErrorCode(error);
  if (code === undefined) return 'unavailable';
  if (DATA_ERRORS.has(code)) return 'rejected';
  if (TRANSIENT_ERRORS.has(code)) return 'unavailable';
  return 'server';
}

/** The first line of the server's message, without the 18.16 `e.what()` tail; for DLQ reasons and logs. */
export function describeFailure(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = clickHouseErrorCode(error);
  const text = message
    .replace(/^Code: \d+[.,]\s*(e\.displayText\(\) = )?(DB::Exception: )?/, '')
    .replace(/,?\s*e\.what\(\) = DB::Exception\s*$/, '')
    .replace(/\s+/g, ' ')
    .trim();
  return code === undefined ? text : `Code ${code}: ${text}`;
}
