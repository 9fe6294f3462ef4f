import { Alert, Badge, Group, List, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import type { Conflict } from '../api/programming.ts';
import { CONFLICT_KIND, DAYS, dmy } from './labels.ts';

/** The R14 clashes of a candidate entry: which entry holds the slot, for whom, where and on which dates. */
export function ConflictList({ conflicts, title = 'La clase se cruza con otra' }: { conflicts: Conflict[]; title?: string }) {
  return (
    <Alert color="#a51d1d" icon={<IconAlertTriangle aria-hidden />} title={title} role="alert" data-testid="conflicts">
      <Text size="sm" mb="xs">
        No se guardó. Cambie el día, la hora, el instructor o el ambiente.
      </Text>
      <List spacing="xs" size="sm">
        {conflicts.map((c, i) => (
          <List.Item key={`${c.kind}-${c.schedule_id}-${c.exception_date ?? ''}-${i}`} data-conflict={c.schedule_id}>
            <Group gap={6} wrap="wrap">
              <Badge color="red.8" variant="filled">
                {CONFLICT_KIND[c.kind] ?? c.kind}
              </Badge>
              {c.line !== undefined && <Text size="sm">Línea {c.line}:</Text>}
              <Text size="sm" fw={600}>
                Ficha {c.group_number} · {DAYS[c.day_of_week]} {c.start_time}–{c.end_time}
              </Text>
            </Group>
            <Text size="sm">
              {c.instructor_name ?? 'Instructor sin nombre disponible'} · ambiente {c.venue_code} ·{' '}
              {c.exception_date
                ? `cambio puntual del ${dmy(c.exception_date)}`
                : c.first_common_date === c.last_common_date
                  ? `el ${dmy(c.first_common_date)}`
                  : `del ${dmy(c.first_common_date)} al ${dmy(c.last_common_date)}`}
            </Text>
          </List.Item>
        ))}
      </List>
    </Alert>
  );
}
