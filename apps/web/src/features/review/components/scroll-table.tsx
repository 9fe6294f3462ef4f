import { Table } from '@mantine/core';
import type { ReactNode } from 'react';

/**
 * A table that scrolls sideways on a phone. The scrolling box is a labelled region that takes the keyboard
 * focus, so it can be scrolled without a pointer (axe-core: scrollable-region-focusable).
 */
export function ScrollTable({ label, minWidth, children }: { label: string; minWidth: number; children: ReactNode }) {
  return (
    <div role="region" aria-label={label} tabIndex={0} style={{ overflowX: 'auto' }}>
      <Table striped miw={minWidth}>
        {children}
      </Table>
    </div>
  );
}
