// The learning services as real processes (node --import tsx services/<name>/src/main.ts),
// so a test can kill -9 them and start them again.
import { spawn, type ChildProcess } from 'node:child_process';
import { repoRoot } from '../setup/infra.js';

/** One service process that can be started, killed with SIGKILL, and started again. */
export class ServiceProcess {
  private child: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();
  /** The last lines the process wrote (for failure messages). */
  readonly log: string[] = [];
  starts = 0;

  constructor(
    readonly name: 'segmenter' | 'inducer',
    private readonly env: Record<string, string>,
    readonly opsPort: number,
  ) {}

  /** Starts the process (again). */
  start(): void {
    const child = spawn(process.execPath, ['--import', 'tsx', `services/${this.name}/src/main.ts`], {
      cwd: repoRoot,
      env: { ...process.env, ...this.env, OPS_PORT: String(this.opsPort) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (d: Buffer) => {
      this.log.push(...d.toString().split('\n').filter(Boolean));
      if (this.log.length > 300) this.log.splice(0, this.log.length - 300);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    this.child = child;
    this.starts++;
  }

  /** kill -9, and wait until it is gone. */
  async kill9(): Promise<void> {
    this.child?.kill('SIGKILL');
    await this.exited;
    this.child = null;
  }

  /** Orderly stop (SIGTERM). */
  async stop(): Promise<void> {
    if (!this.child) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child?.kill('SIGKILL'), 15_000);
    await this.exited;
    clearTimeout(timer);
    this.child = null;
  }

  /** Samples of a Prometheus metric from its /metrics (empty when it does not answer yet). */
  async metric(name: string): Promise<number[]> {
    try {
      const text = await (await fetch(`http://127.0.0.1:${this.opsPort}/metrics`)).text();
      return text
        .split('\n')
        .filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `))
        .map((l) => Number(l.slice(l.lastIndexOf(' ') + 1)));
    } catch {
      return [];
    }
  }
}
