import { describe, expect, it } from 'vitest';
import { FeedProgress, QUIET_ROUNDS } from './feed-progress.js';

const offsets = (highs: number[], low = 0) => highs.map((h, partition) => ({ partition, low: BigInt(low), high: BigInt(h) }));

describe('feed progress', () => {
  it('is caught up only once every assigned partition reached the targets of the join', () => {
    const p = new FeedProgress();
    expect(p.snapshot().caughtUp).toBe(false);
    p.joined([0, 1]);
    expect(p.snapshot()).toMatchObject({ caughtUp: false, waiting: expect.stringContaining('high watermarks') });
    p.targets(p.joinGeneration, offsets([3, 0]));
    expect(p.snapshot()).toMatchObject({ caughtUp: false, lag: { '0': 3, '1': 0 } });
    p.batch(0, 1n, 3n, 2);
    expect(p.snapshot().caughtUp).toBe(false);
    p.batch(0, 2n, 3n, 1);
    expect(p.snapshot()).toMatchObject({ caughtUp: true, lag: { '0': 0, '1': 0 }, batches: 2, records: 3, waiting: null });
  });

  it('resets on a rejoin, seeks back to its positions, and is caught up again at the new targets', () => {
    const p = new FeedProgress();
    p.joined([0]);
    p.targets(1, offsets([5]));
    p.batch(0, 4n, 5n, 5);
    expect(p.snapshot().caughtUp).toBe(true);
    // the broker restarted; two records were written meanwhile
    expect(p.joined([0])).toEqual([{ partition: 0, offset: 5n }]);
    expect(p.snapshot().caughtUp).toBe(false);
    p.targets(1, offsets([99])); // a late answer for the old join is ignored
    p.targets(2, offsets([7]));
    expect(p.snapshot()).toMatchObject({ caughtUp: false, lag: { '0': 2 } });
    p.batch(0, 6n, 7n, 2);
    expect(p.snapshot()).toMatchObject({ caughtUp: true, joins: 2, records: 7 });
  });

  it('counts a partition ending in a compaction gap as caught up after empty fetch rounds, not after time', () => {
    const p = new FeedProgress();
    p.joined([0]);
    p.targets(1, offsets([10]));
    p.batch(0, 6n, 10n, 7); // offsets 7..9 (tombstones) were compacted away
    for (let i = 1; i < QUIET_ROUNDS; i++) p.quietRound();
    expect(p.snapshot().caughtUp).toBe(false);
    p.busyRound();
    for (let i = 1; i < QUIET_ROUNDS; i++) p.quietRound();
    expect(p.snapshot().caughtUp).toBe(false);
    p.quietRound();
    expect(p.snapshot().caughtUp).toBe(true);
  });

  it('skips to the log start when retention removed what lay below the position', () => {
    const p = new FeedProgress();
    p.joined([0]);
    p.targets(1, offsets([20], 20));
    expect(p.snapshot()).toMatchObject({ caughtUp: true, lag: { '0': 0 } });
  });

  it('is not caught up once the consumer stopped for good', () => {
    const p = new FeedProgress();
    p.joined([0]);
    p.targets(1, offsets([0]));
    expect(p.snapshot().caughtUp).toBe(true);
    p.halted('the feed stopped: boom');
    expect(p.snapshot()).toMatchObject({ caughtUp: false, waiting: 'the feed stopped: boom' });
  });
});
