import { Anchor, Badge, Card, Group, Stack, Text } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import { KIND_LABEL } from '../api/kb.ts';

/** One result of Ayuda: the title opens `/ayuda/:slug`; kind and category as words (never colour alone). */
export function ItemCard({ slug, title, kind, category, children }: { slug: string; title: string; kind: string; category?: string; children?: ReactNode }) {
  return (
    <Card component="li" withBorder padding="sm" data-item={slug}>
      <Stack gap={6}>
        <Anchor component={Link} to="/ayuda/$slug" params={{ slug } as never} fw={600}>
          {title}
        </Anchor>
        <Group gap={6}>
          <Badge color="sena.8">
            {KIND_LABEL[kind] ?? kind}
          </Badge>
          {category && (
            <Text size="sm" c="dimmed">
              {category}
            </Text>
          )}
        </Group>
        {children}
      </Stack>
    </Card>
  );
}
