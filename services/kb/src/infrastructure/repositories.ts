/** Every repository over one executor (the database or a transaction) and the unit of work. */
import type { Db } from '@sicora/platform/db';
import type { NotificationInput } from '@sicora/platform/notify';
import { createCategoriesRepo } from './categories.repo.ts';
import { createFeedbackRepo } from './feedback.repo.ts';
import { createItemsRepo } from './items.repo.ts';
import { createSearchRepo } from './search.repo.ts';
import { createAdminRepo } from './admin.repo.ts';
import { createImportsRepo } from './imports.repo.ts';
import { notifications } from './notifications.ts';

export function createRepositories(db: Db) {
  return {
    items: createItemsRepo(db),
    categories: createCategoriesRepo(db),
    feedback: createFeedbackRepo(db),
    search: createSearchRepo(db),
    admin: createAdminRepo(db),
    imports: createImportsRepo(db),
    notify: (input: NotificationInput) => notifications.enqueue(db, input),
  };
}

export type Repositories = ReturnType<typeof createRepositories>;

export function createUnitOfWork(db: Db) {
  return <T>(fn: (repos: Repositories) => Promise<T>): Promise<T> => db.transaction((tx) => fn(createRepositories(tx as unknown as Db)));
}
