/** Contract suite, shard 1 of 2 (test/contract/suite.ts decides which services; CONTRACT=1 to run). */
import { contractSuite } from './suite.ts';

await contractSuite(1, 2);
