// Version history of templates as this router saw them on the compacted topic. Compaction
// keeps only the latest record per key, so a router that starts late never sees the
// versions compacted away: the history says so (complete: false). Bounded per template.
import type { VersionHistory } from '@praxis/contracts';
import type { Template } from '@praxis/schemas';

type VersionEntry = VersionHistory['versions'][number];

interface History {
  tenantId: string;
  versions: VersionEntry[];
  deleted: boolean;
  /** Versions dropped because of the bound. */
  dropped: number;
}

export interface HistoryLimits {
  /** Versions kept per template (oldest dropped first). */
  versionsPerTemplate: number;
  /** Lineage references kept per version. */
  lineagePerVersion: number;
  /** Histories of deleted templates kept (oldest deletion dropped first). */
  deletedTemplates: number;
}

export const DEFAULT_HISTORY_LIMITS: HistoryLimits = { versionsPerTemplate: 20, lineagePerVersion: 20, deletedTemplates: 10_000 };

/** Every version seen per template, bounded, tenant-tagged. */
export class VersionHistories {
  private readonly histories = new Map<string, History>();
  /** Deleted templates, oldest deletion first (a Set: a template deleted twice is listed once). */
  private readonly deletedOrder = new Set<string>();

  constructor(private readonly limits: HistoryLimits = DEFAULT_HISTORY_LIMITS) {}

  /** Records a version (a repeat of the last version seen is ignored). */
  add(t: Template, where: { partition: number | null; offset: string | null }, seenAtMs: number): void {
    let h = this.histories.get(t.templateId);
    if (!h || h.tenantId !== t.tenantId) {
      h = { tenantId: t.tenantId, versions: [], deleted: false, dropped: 0 };
      this.histories.set(t.templateId, h);
    }
    if (h.deleted) {
      h.deleted = false;
      this.deletedOrder.delete(t.templateId);
    }
    // a version seen again (the router's own write read back, a re-read after a rejoin) is listed once
    const seen = h.versions.find((v) => v.version === t.version && v.status === t.status && v.updatedAtMs === t.updatedAtMs);
    if (seen) {
      if (seen.partition === null && where.partition !== null) Object.assign(seen, { partition: where.partition, offset: where.offset });
      return;
    }
    h.versions.push({
      version: t.version,
      status: t.status,
      source: t.source,
      confidence: t.confidence,
      belowThreshold: t.belowThreshold,
      support: t.stats.support,
      successes: t.stats.successes,
      executions: t.stats.executions,
      executionSuccesses: t.stats.executionSuccesses,
      statusReason: t.statusReason,
      supersededBy: t.supersededBy,
      lineage: t.lineage.slice(0, this.limits.lineagePerVersion),
      updatedAtMs: t.updatedAtMs,
      seenAtMs,
      partition: where.partition,
      offset: where.offset,
    });
    if (h.versions.length > this.limits.versionsPerTemplate) {
      h.versions.shift();
      h.dropped++;
    }
  }

  /** Marks a template deleted (its history stays, bounded). */
  markDeleted(templateId: string): void {
    const h = this.histories.get(templateId);
    if (!h || h.deleted) return;
    h.deleted = true;
    this.deletedOrder.add(templateId);
    for (const old of this.deletedOrder) {
      if (this.deletedOrder.size <= this.limits.deletedTemplates) break;
      this.deletedOrder.delete(old);
      this.histories.delete(old);
    }
  }

  /** The history of a template, only for its own tenant. */
  get(tenantId: string, templateId: string): VersionHistory | undefined {
    const h = this.histories.get(templateId);
    if (!h || h.tenantId !== tenantId) return undefined;
    const versions = h.versions;
    const contiguous = versions.every((v, i) => i === 0 || v.version >= versions[i - 1]!.version);
    const startsAtOne = versions[0]?.version === 1;
    const noGaps = versions.every((v, i) => i === 0 || v.version - versions[i - 1]!.version <= 1);
    return { templateId, deleted: h.deleted, versions, complete: h.dropped === 0 && startsAtOne && noGaps && contiguous };
  }
}
