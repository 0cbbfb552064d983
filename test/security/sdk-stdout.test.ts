// The SDK never writes to its agent's stdout (issue 11, finding 9): an agent whose broker is
// unreachable keeps retrying, and every line kafkajs and the sink log goes to stderr (or to
// the agent's own logger, see test/router/recorder.test.ts), none to stdout, which agents
// often use for their own protocol.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { freePort } from '../support/dedicated-kafka.js';

describe('the SDK during an outage', () => {
  it('logs to stderr, never stdout, and keeps retrying the batch it holds', async () => {
    const port = await freePort(); // nothing listens there
    const script = fileURLToPath(new URL('./fixtures/outage-agent.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', script, String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    expect(stdout).toBe('');
    const lines = stderr.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { event?: string; component?: string });
    expect(lines.filter((l) => l.event === 'sdk_send_retry').length).toBeGreaterThanOrEqual(2);
    expect(lines.some((l) => l.component === 'kafkajs')).toBe(true);
    // the batch was still held (not given up) when the agent closed the recorder
    expect(stderr).toMatch(/STATS \{"recorded":20,"sent":0/);
  });
});
