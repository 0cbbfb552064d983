import { TemplateSchema } from '@praxis/schemas';
import { makeTemplate } from '@praxis/schemas/factories';
import { describe, expect, it } from 'vitest';
import { describeTemplate } from './show.js';

describe('describeTemplate', () => {
  it('says when a conditional step runs, in the demo\'s step numbers', () => {
    const t = TemplateSchema.parse(
      makeTemplate({
        signature: ['search_messages', 'book_meeting'],
        steps: [
          { index: 0, toolName: 'search_messages', params: [] },
          { index: 1, toolName: 'book_meeting', params: [], optional: true, conditionJson: JSON.stringify({ whenResult: { step: 0, path: '', has: 'none' } }) },
        ],
        slots: [],
      }),
    );
    expect(describeTemplate(t)).toContain("    2. (optional, when step 1's result has no elements) book_meeting()");
  });
});
