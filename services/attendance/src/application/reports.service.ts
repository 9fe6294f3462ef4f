/** RP1–RP5 (§4.5): the report use cases, one file each (reports.<report>.ts), composed here. */
import type { Access } from './access.ts';
import type { Deps } from './context.ts';
import { createGroupReport } from './reports.group.ts';
import { createInstructorReport } from './reports.instructor.ts';
import { createMissingRollsReport } from './reports.missing.ts';
import { createPeriodReport } from './reports.period.ts';
import { createStudentReport } from './reports.student.ts';

export function createReportsService(deps: Deps, access: Access) {
  return {
    missingRolls: createMissingRollsReport(deps),
    instructor: createInstructorReport(deps),
    student: createStudentReport(deps, access),
    group: createGroupReport(deps, access),
    period: createPeriodReport(deps),
  };
}

export type ReportsService = ReturnType<typeof createReportsService>;
