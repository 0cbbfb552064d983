import type { BenchSuite } from '../harness.js';
import { analyticsSuite } from './analytics.js';
import { closedLoopSuite } from './closed-loop.js';
import { decodeSuite } from './decode.js';
import { kafkaClientsSuite } from './kafka-clients.js';
import { learningSuite } from './learning.js';
import { membersSuite } from './members.js';
import { pipelineLatencySuite, pipelineSuite, pipelineThroughputSuite } from './pipeline.js';
import { realTrafficSuite } from './real-traffic.js';
import { restoreSuite } from './restore.js';
import { pipelineProcessesSuite } from './pipeline-processes.js';
import { runtimeConsumeSuite } from './runtime-consume.js';
import { routerSuite } from './router.js';
import { routerParaphraseSuite, routerRestartSuite, routerScaleSuite, routerSemanticSuite, routerShardsSuite } from './router-semantic.js';
import { routerOppositesSuite } from '../router-quality/opposites.js';
import { routerRankingSuite } from '../router-quality/ranking-cost.js';
import { routerLookupCpuSuite } from '../router-quality/lookup-cpu.js';

/** Every benchmark suite; packages add theirs here. `pnpm bench <id>...` runs a selection. */
export const suites: BenchSuite[] = [learningSuite, analyticsSuite, routerSuite, routerSemanticSuite, routerParaphraseSuite, routerScaleSuite, routerRestartSuite, routerShardsSuite, routerOppositesSuite, routerRankingSuite, routerLookupCpuSuite, closedLoopSuite, pipelineSuite, pipelineLatencySuite, pipelineThroughputSuite, pipelineProcessesSuite, realTrafficSuite, decodeSuite, restoreSuite, kafkaClientsSuite, membersSuite, runtimeConsumeSuite];
