/** Pagination helpers: apply a CDM `limit`/`start` page to a list the backend could not page itself. */
import type { Page } from './types';

export const ALL: Page = { start: 0 };

export function applyPage<T>(items: readonly T[], page: Page): T[] {
  const end = page.limit === undefined ? undefined : page.start + page.limit;
  return items.slice(page.start, end);
}
