import { Badge, Button, Card, Group, Stack, Text } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import { formatClock } from '../../../lib/dates.ts';
import type { ClassItem } from '../api/attendance.ts';
import { justificationLabel, StatusBadge } from './status-badge.tsx';

const STATE: Record<ClassItem['state'], string> = { UPCOMING: 'Próxima', IN_PROGRESS: 'En curso', ENDED: 'Terminada' };

export function ApprenticeClassCard({ item, now = new Date() }: { item: ClassItem; now?: Date }) {
  const canJustify = item.my_status === 'ABSENT' && !item.justification && item.record_id && item.justify_deadline && Date.parse(item.justify_deadline) > now.getTime();
  return (
    <Card withBorder padding="sm" component="li">
      <Stack gap={6}>
        <Group justify="space-between" wrap="nowrap" align="flex-start">
          <Text fw={700}>{item.subject}</Text>
          <Badge variant="outline" color="gray.8" style={{ flex: 'none' }}>
            {STATE[item.state]}
          </Badge>
        </Group>
        <Text size="sm">
          {formatClock(item.start_time)} – {formatClock(item.end_time)}
          {item.venue_name ? ` · ${item.venue_name}` : ''}
          {item.instructor_name ? ` · ${item.instructor_name}` : ''}
        </Text>
        <Group gap="xs">
          {item.my_status && <StatusBadge status={item.my_status} />}
          {item.justification && <Text size="sm">{justificationLabel(item.justification.status)}</Text>}
        </Group>
        {item.can_request_code && (
          <Button component={Link} to="/mi-codigo" size="md">
            Mostrar mi código
          </Button>
        )}
        {canJustify && (
          <Button component={Link} to="/asistencia/justificar" search={{ record_id: item.record_id! } as never} variant="light">
            Justificar
          </Button>
        )}
      </Stack>
    </Card>
  );
}
