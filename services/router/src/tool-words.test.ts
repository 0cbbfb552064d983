import { describe, expect, it } from 'vitest';
import type { Hit } from './index/vector-index.js';
import { contentTokens } from './text.js';
import { byToolWords } from './tool-words.js';
import { template } from './test-support/fixtures.js';

const withTools = (templateId: string, ...tools: string[]) => template({ templateId, signature: tools, steps: tools.map((toolName, index) => ({ index, toolName, params: [] })), slots: [] });
const hit = (templateId: string, score: number): Hit => ({ templateId, similarity: score, example: templateId, score });
const on = { weight: 0.1, reach: 0.15, candidates: 4 };
const templates = new Map([
  ['visits', withTools('visits', 'analytics.total_visits_count')],
  ['engaged', withTools('engaged', 'analytics.engaged_users_count')],
  ['far', withTools('far', 'email.send_email')],
]);

describe('byToolWords', () => {
  it('raises a close candidate whose distinguishing tool words the query holds above one that reads a little closer', () => {
    const query = contentTokens('how many engaged users did we have yesterday');
    const out = byToolWords([hit('visits', 0.72), hit('engaged', 0.7), hit('far', 0.4)], templates, query, on);
    expect(out.map((h) => h.templateId)).toEqual(['engaged', 'visits', 'far']);
    // engaged's own words are engaged + user (analytics and count are shared): the query holds both
    expect(out[0]!.score).toBeCloseTo(0.7 + 0.1, 10);
    // the similarity the tiers read is left alone
    expect(out[0]!.similarity).toBe(0.7);
  });

  it('gives the share of the distinguishing words held (visits: total and visit, the query holds one), costs nothing for those it lacks, and leaves candidates out of reach alone', () => {
    const query = contentTokens('how many visits came to the site');
    const out = byToolWords([hit('visits', 0.72), hit('engaged', 0.7), hit('far', 0.4)], templates, query, on);
    expect(out.map((h) => [h.templateId, h.score])).toEqual([['visits', 0.72 + 0.1 / 2], ['engaged', 0.7], ['far', 0.4]]);
  });

  it('changes nothing at weight 0 or with one close candidate', () => {
    const input = [hit('visits', 0.72), hit('engaged', 0.7)];
    expect(byToolWords(input, templates, ['engag', 'user'], { ...on, weight: 0 })).toBe(input);
    const alone = [hit('visits', 0.9), hit('engaged', 0.5)];
    expect(byToolWords(alone, templates, ['engag', 'user'], on)).toBe(alone);
  });

  it('reads the words of camelCase tool names', () => {
    const camel = new Map([
      ['orders', withTools('orders', 'shop.getCustomerOrders')],
      ['status', withTools('status', 'shop.getCustomerStatus')],
    ]);
    const out = byToolWords([hit('orders', 0.7), hit('status', 0.69)], camel, contentTokens('what is the status of this customer'), on);
    expect(out.map((h) => [h.templateId, h.score])).toEqual([['status', 0.69 + 0.1], ['orders', 0.7]]);
  });
});
