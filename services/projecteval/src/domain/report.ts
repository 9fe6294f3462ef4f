/** R47: the status a report shows for a deliverable, from its current submission and the due date. */
export type ReportStatus = 'published' | 'evaluated' | 'in_evaluation' | 'submitted' | 'returned' | 'overdue' | 'not_submitted';

export function deliverableStatus(current: { status: string } | undefined, dueAt: Date, now: Date): ReportStatus {
  const open = now.getTime() <= dueAt.getTime();
  if (current && ['published', 'evaluated', 'in_evaluation', 'submitted'].includes(current.status)) return current.status as ReportStatus;
  if (current?.status === 'returned' && open) return 'returned';
  return open ? 'not_submitted' : 'overdue';
}
