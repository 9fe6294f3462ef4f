/** Contract suite, shard 2 of 2 (test/contract/suite.ts decides which services; CONTRACT=0 leaves it out). */
import { contractSuite } from './suite.ts';

await contractSuite(2, 2);
