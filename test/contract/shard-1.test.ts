/** Contract suite, shard 1 of 2 (test/contract/suite.ts decides which services; CONTRACT=0 leaves it out). */
import { contractSuite } from './suite.ts';

await contractSuite(1, 2);
