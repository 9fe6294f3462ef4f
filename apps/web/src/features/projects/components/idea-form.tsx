import { Alert, Button, Paper, Stack, TagsInput, Textarea, TextInput, SimpleGrid } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { ApiError, messageOf } from '../../../lib/errors.ts';
import type { Idea } from '../api/types.ts';

export interface IdeaBody {
  title: string;
  description: string;
  objectives: string;
  technologies: string[];
  stakeholder_info: string | null;
  expected_impact: string | null;
}

/** P11 (propose) or P13 (revise after a revision request), with the bounds of IdeaCreateBody. */
export function IdeaForm({ idea, onSubmit, onCancel }: { idea?: Idea; onSubmit: (body: IdeaBody) => Promise<unknown>; onCancel: () => void }) {
  const [title, setTitle] = useState(idea?.title ?? '');
  const [description, setDescription] = useState(idea?.description ?? '');
  const [objectives, setObjectives] = useState(idea?.objectives ?? '');
  const [technologies, setTechnologies] = useState<string[]>(idea?.technologies ?? []);
  const [stakeholder, setStakeholder] = useState(idea?.stakeholder_info ?? '');
  const [impact, setImpact] = useState(idea?.expected_impact ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const t = { title: title.trim(), description: description.trim(), objectives: objectives.trim() };
  const ok = t.title.length >= 5 && t.description.length >= 20 && t.objectives.length >= 10;

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await onSubmit({ ...t, technologies, stakeholder_info: stakeholder.trim() || null, expected_impact: impact.trim() || null });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }
  const fields = error instanceof ApiError ? error.fields : {};
  return (
    <Paper withBorder p="md" component="form" onSubmit={submit} noValidate aria-label={idea ? 'Corregir la idea' : 'Proponer una idea'}>
      <Stack>
        {error !== null && (
          <Alert color="red" role="alert" title="No se pudo enviar">
            {messageOf(error)}
          </Alert>
        )}
        <TextInput label="Título" description="Entre 5 y 200 caracteres" required maxLength={200} value={title} onChange={(e) => setTitle(e.currentTarget.value)} error={fields.title} />
        <Textarea label="Descripción" description="Entre 20 y 5000 caracteres" required maxLength={5000} autosize minRows={3} value={description} onChange={(e) => setDescription(e.currentTarget.value)} error={fields.description} />
        <Textarea label="Objetivos" description="Entre 10 y 2000 caracteres" required maxLength={2000} autosize minRows={2} value={objectives} onChange={(e) => setObjectives(e.currentTarget.value)} error={fields.objectives} />
        <TagsInput label="Tecnologías" description="Hasta 15; escriba y pulse Enter" maxTags={15} value={technologies} onChange={(v) => setTechnologies(v.map((x) => x.slice(0, 50)))} />
        <Textarea label="Aliado o beneficiario" description="Opcional, hasta 1000 caracteres" maxLength={1000} autosize minRows={1} value={stakeholder} onChange={(e) => setStakeholder(e.currentTarget.value)} />
        <Textarea label="Impacto esperado" description="Opcional, hasta 2000 caracteres" maxLength={2000} autosize minRows={1} value={impact} onChange={(e) => setImpact(e.currentTarget.value)} />
        <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="xs">
          <Button variant="default" onClick={onCancel}>
            Cancelar
          </Button>
          <Button type="submit" loading={busy} disabled={!ok}>
            {idea ? 'Enviar corrección' : 'Proponer idea'}
          </Button>
        </SimpleGrid>
      </Stack>
    </Paper>
  );
}
