// The co-partitioned assignment of a group whose state is partitioned by a key that several
// topics share (the inducer's tenant): partition k of every subscribed topic belongs to task
// k mod T, T the smallest partition count, and a task goes to one member whole. With
// murmur2(tenant) % N partitioning and N a multiple of T, every record of a tenant, on any of
// the topics, reaches the member that owns task murmur2(tenant) % T (the Kafka Streams task).
import { AssignerProtocol, type Assigner, type Cluster } from 'kafkajs';

/** Subscribed topics and their partition counts. */
export interface TopicPartitions {
  topic: string;
  partitions: number;
}

/** The number of tasks of a co-partitioned subscription; throws when one count is not a multiple of the smallest. */
export function taskCount(topics: readonly TopicPartitions[]): number {
  if (topics.length === 0) return 0;
  const t = Math.min(...topics.map((x) => x.partitions));
  const odd = topics.filter((x) => x.partitions % t !== 0);
  if (odd.length > 0) {
    throw new Error(`co-partitioned topics need partition counts that are multiples of the smallest (${t}): ${odd.map((x) => `${x.topic} has ${x.partitions}`).join(', ')}`);
  }
  return t;
}

/**
 * Tasks to members, sticky: each member keeps the tasks it held (`previous`: its partitions
 * then, any topic) as far as a balanced share allows (at most ceil(T/n), and only T mod n
 * members above floor(T/n)); the tasks left go, in task order, to the members in id order
 * with the fewest. With no history this is task i to the i mod n-th member. Pure and
 * deterministic, so every leader computes the same; where two members claim a task (one of
 * them fenced and not yet aware), the first in id order keeps it.
 */
export function assignTasks(memberIds: readonly string[], topics: readonly TopicPartitions[], previous: ReadonlyMap<string, readonly number[]> = new Map()): Map<string, Record<string, number[]>> {
  const members = [...new Set(memberIds)].sort();
  const tasks = taskCount(topics);
  const out = new Map<string, Record<string, number[]>>(members.map((m) => [m, {}]));
  if (members.length === 0) return out;
  const base = Math.floor(tasks / members.length);
  let bigLeft = tasks % members.length; // members that may hold base + 1
  const owner: (string | undefined)[] = new Array(tasks);
  const held = new Map(members.map((m) => [m, 0]));
  const take = (m: string, task: number): boolean => {
    const n = held.get(m)!;
    if (n >= base && !(n === base && bigLeft > 0)) return false;
    if (n === base) bigLeft--;
    owner[task] = m;
    held.set(m, n + 1);
    return true;
  };
  for (const m of members) {
    const mine = [...new Set((previous.get(m) ?? []).map((p) => p % tasks))].sort((a, b) => a - b);
    for (const task of mine) if (owner[task] === undefined) take(m, task);
  }
  for (let task = 0; task < tasks; task++) {
    if (owner[task] !== undefined) continue;
    const fewest = [...members].sort((a, b) => held.get(a)! - held.get(b)! || (a < b ? -1 : 1));
    for (const m of fewest) if (take(m, task)) break;
  }
  for (const { topic, partitions } of topics) {
    for (let k = 0; k < partitions; k++) {
      const assignment = out.get(owner[k % tasks]!)!;
      (assignment[topic] ??= []).push(k);
    }
  }
  return out;
}

/** The task a partition belongs to. */
export const taskOfPartition = (partition: number, tasks: number): number => partition % tasks;

/**
 * A kafkajs partition assigner that assigns whole tasks (see assignTasks). Each member's join
 * carries the partitions it holds (`held`), so the leader can keep tasks where they are: a
 * member joining or leaving moves as few tasks, and so as few takeovers, as balance allows.
 */
export const coPartitionedAssigner =
  (held: () => readonly number[]) =>
  ({ cluster }: { cluster: Cluster }): Assigner => ({
    name: 'PraxisCoPartitioned',
    version: 0,
    async assign({ members, topics }) {
      const counts = topics.map((topic) => ({ topic, partitions: cluster.findTopicPartitionMetadata(topic).length }));
      const previous = new Map(members.map((m) => [m.memberId, heldOf(m.memberMetadata)]));
      const plan = assignTasks(members.map((m) => m.memberId), counts, previous);
      return [...plan].map(([memberId, assignment]) => ({ memberId, memberAssignment: AssignerProtocol.MemberAssignment.encode({ version: 0, assignment, userData: Buffer.alloc(0) }) }));
    },
    protocol({ topics }) {
      return { name: 'PraxisCoPartitioned', metadata: AssignerProtocol.MemberMetadata.encode({ version: 0, topics, userData: Buffer.from(JSON.stringify({ held: [...new Set(held())] })) }) };
    },
  });

/** The partitions a member said it held, from its join metadata; none when it said nothing readable (an older member). */
function heldOf(metadata: Buffer): number[] {
  try {
    const { userData } = AssignerProtocol.MemberMetadata.decode(metadata) ?? {};
    const parsed = userData && userData.length > 0 ? (JSON.parse(userData.toString()) as { held?: unknown }) : {};
    return Array.isArray(parsed.held) ? parsed.held.filter((p): p is number => Number.isInteger(p) && p >= 0) : [];
  } catch {
    return [];
  }
}
