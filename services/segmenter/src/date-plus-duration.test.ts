import { describe, expect, it } from 'vitest';
import { dataflowOf } from './dataflow.js';
import { ADD_QUERY_DURATION } from './date-plus-duration.js';
import { pending, tool } from './test-steps.js';

describe('dataflow: an earlier date-time plus a duration the query writes', () => {
  const slots = [
    { id: 'S-1', start: '2026-03-04 09:00:00' },
    { id: 'S-2', start: '2026-03-04 13:30:00' },
  ];
  const search = pending(tool(1, 0, 'search_slots', { resultJson: JSON.stringify(slots) }));

  it('links the value to the date-time it moves, with the element rules and the transform', () => {
    const flow = dataflowOf({ id: 'S-2', start: '2026-03-04 15:00:00' }, 'Move my 13:30 slot back by 1.5 hours', [search]);
    expect(flow).toContainEqual({ paramPath: 'start', origin: 'STEP_RESULT', stepIndex: 0, path: '1.start', transform: ADD_QUERY_DURATION, select: ['last', 'max:start'] });
    // "half an hour" moves the 09:00 slot
    expect(dataflowOf({ start: '2026-03-04 09:30:00' }, 'push the first one back half an hour', [search])).toEqual([
      { paramPath: 'start', origin: 'STEP_RESULT', stepIndex: 0, path: '0.start', transform: ADD_QUERY_DURATION, select: ['first', 'min:start'] },
    ]);
  });

  it('links nothing when the query writes no duration, the shift is another, or the value is no date-time', () => {
    expect(dataflowOf({ start: '2026-03-04 15:00:00' }, 'move my slot to 3pm', [search])).toEqual([]);
    expect(dataflowOf({ start: '2026-03-04 16:00:00' }, 'move my slot back by 1.5 hours', [search])).toEqual([]);
    expect(dataflowOf({ day: '2026-03-05' }, 'move it by 1 day', [search])).toEqual([]);
    // a value an earlier result holds as it is links as it is, with no shift
    expect(dataflowOf({ start: '2026-03-04 13:30:00' }, 'by 2 hours', [search]).map((d) => d.transform)).toEqual([null]);
  });
});
