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
 * Tasks to members: task i goes to the i mod n-th member in id order, and with it
 * partition k of every topic where k mod T = i. Pure, so every leader computes the same.
 */
export function assignTasks(memberIds: readonly string[], topics: readonly TopicPartitions[]): Map<string, Record<string, number[]>> {
  const members = [...memberIds].sort();
  const tasks = taskCount(topics);
  const out = new Map<string, Record<string, number[]>>(members.map((m) => [m, {}]));
  if (members.length === 0) return out;
  for (const { topic, partitions } of topics) {
    for (let k = 0; k < partitions; k++) {
      const owner = out.get(members[(k % tasks) % members.length]!)!;
      (owner[topic] ??= []).push(k);
    }
  }
  return out;
}

/** The task a partition belongs to. */
export const taskOfPartition = (partition: number, tasks: number): number => partition % tasks;

/** A kafkajs partition assigner that assigns whole tasks (see assignTasks). */
export const CoPartitionedAssigner = ({ cluster }: { cluster: Cluster }): Assigner => ({
  name: 'PraxisCoPartitioned',
  version: 0,
  async assign({ members, topics }) {
    const counts = topics.map((topic) => ({ topic, partitions: cluster.findTopicPartitionMetadata(topic).length }));
    const plan = assignTasks(members.map((m) => m.memberId), counts);
    return [...plan].map(([memberId, assignment]) => ({ memberId, memberAssignment: AssignerProtocol.MemberAssignment.encode({ version: 0, assignment, userData: Buffer.alloc(0) }) }));
  },
  protocol({ topics }) {
    return { name: 'PraxisCoPartitioned', metadata: AssignerProtocol.MemberMetadata.encode({ version: 0, topics, userData: Buffer.alloc(0) }) };
  },
});
