// A Praxis service run as its own process (node --import tsx <main.ts>), so a test can kill
// it with -9 mid-run, as a crash would, and start it again.
import { spawn, type ChildProcess } from 'node:child_process';
import { repoRoot } from '../setup/infra.js';

export class ServiceProcess {
  private child: ChildProcess | null = null;
  /** Everything the runs wrote to stdout and stderr (JSON log lines). */
  output = '';
  starts = 0;

  constructor(private readonly main: string, private readonly env: Record<string, string>, private readonly nodeArgs: string[] = []) {}

  /** Starts (another run of) the service. */
  start(): void {
    if (this.child) throw new Error(`${this.main} is already running`);
    const child = spawn(process.execPath, [...this.nodeArgs, '--import', 'tsx', this.main], { cwd: repoRoot, env: { ...process.env, ...this.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    this.starts++;
    const run = this.starts;
    const collect = (d: Buffer) => {
      this.output += d.toString().split('\n').filter(Boolean).map((l) => `[run ${run}] ${l}\n`).join('');
      if (process.env.PRAXIS_TEST_VERBOSE) process.stderr.write(d);
    };
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    child.on('exit', () => {
      if (this.child === child) this.child = null;
    });
    this.child = child;
  }

  /** The running process's id (undefined when stopped), e.g. to read its CPU time from /proc. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Whether a run is going now. */
  get alive(): boolean {
    return this.child !== null && this.child.exitCode === null;
  }

  /** Log lines whose event is `event`. */
  events(event: string): string[] {
    return this.output.split('\n').filter((l) => l.includes(`"event":"${event}"`));
  }

  /** kill -9; resolves once the process is gone. */
  async kill(): Promise<void> {
    await this.signal('SIGKILL');
  }

  /** SIGTERM: orderly shutdown. */
  async stop(): Promise<void> {
    await this.signal('SIGTERM');
  }

  private async signal(sig: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(sig);
    await exited;
    this.child = null;
  }
}
