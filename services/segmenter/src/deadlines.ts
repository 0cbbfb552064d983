// A min-heap of session deadlines (event time at which a session's first task may become
// final). Entries are superseded by version instead of removed: a session's newest entry wins.

interface Entry {
  at: number;
  key: string;
  version: number;
}

/** Deadlines by session key; `popDue` returns the keys whose current deadline is before `now`. */
export class Deadlines {
  private heap: Entry[] = [];
  private readonly versions = new Map<string, number>();

  get size(): number {
    return this.versions.size;
  }

  /** Sets (or replaces) the deadline of a session. */
  set(key: string, at: number): void {
    const version = (this.versions.get(key) ?? 0) + 1;
    this.versions.set(key, version);
    this.push({ at, key, version });
  }

  /** Forgets a session's deadline. */
  delete(key: string): void {
    this.versions.delete(key);
  }

  /** Removes and returns the sessions whose deadline is strictly before `now`, earliest first (ties by key). */
  popDue(now: number): string[] {
    const due: string[] = [];
    while (this.heap.length > 0 && this.heap[0]!.at < now) {
      const top = this.pop();
      if (this.versions.get(top.key) === top.version) {
        this.versions.delete(top.key);
        due.push(top.key);
      }
    }
    if (this.heap.length > 4 * this.versions.size + 64) this.compact();
    return due;
  }

  private compact(): void {
    this.heap = this.heap.filter((e) => this.versions.get(e.key) === e.version);
    for (let i = (this.heap.length >> 1) - 1; i >= 0; i--) this.down(i);
  }

  private less(a: Entry, b: Entry): boolean {
    return a.at < b.at || (a.at === b.at && a.key < b.key);
  }

  private push(e: Entry): void {
    this.heap.push(e);
    let i = this.heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(this.heap[i]!, this.heap[parent]!)) break;
      [this.heap[i], this.heap[parent]] = [this.heap[parent]!, this.heap[i]!];
      i = parent;
    }
  }

  private pop(): Entry {
    const top = this.heap[0]!;
    const last = this.heap.pop()!;
    if (this.heap.length > 0) {
      this.heap[0] = last;
      this.down(0);
    }
    return top;
  }

  private down(i: number): void {
    const n = this.heap.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < n && this.less(this.heap[l]!, this.heap[m]!)) m = l;
      if (r < n && this.less(this.heap[r]!, this.heap[m]!)) m = r;
      if (m === i) return;
      [this.heap[i], this.heap[m]] = [this.heap[m]!, this.heap[i]!];
      i = m;
    }
  }
}
