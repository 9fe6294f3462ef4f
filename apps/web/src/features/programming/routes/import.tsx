import { Alert, Button, FileInput, Group, Select, SimpleGrid, Stack, Text } from '@mantine/core';
import { IconDownload, IconFileTypeCsv } from '@tabler/icons-react';
import { useState } from 'react';
import { messageOf } from '../../../lib/errors.ts';
import { useImport, useTemplateDownload, type ImportKind, type ImportOutcome } from '../api/files.ts';
import { ImportReportView } from '../../../components/import-report.tsx';
import { ProgrammingHeader } from '../components/section-nav.tsx';
import { useUrlState } from '../components/url-state.ts';

const KINDS: Array<{ value: ImportKind; label: string; columns: string }> = [
  {
    value: 'schedules',
    label: 'Horarios',
    columns: 'ficha, documento_instructor, ambiente, competencia, fecha_inicio, fecha_fin y dia + hora_inicio + hora_fin o bloques (ej. MLUN1-MLUN3); observaciones opcional',
  },
  { value: 'groups', label: 'Fichas', columns: 'ficha, programa, sede, jornada, fecha_inicio, fecha_fin; trimestre, cupo y documento_director opcionales' },
  { value: 'programs', label: 'Programas', columns: 'codigo, nombre, nivel, duracion_meses; trimestres y descripcion opcionales' },
  { value: 'venues', label: 'Ambientes', columns: 'codigo, nombre, sede, tipo, capacidad; piso, bloque y equipamiento opcionales' },
];

/** 5 MiB and the row limits of schedules §6.1. */
const MAX_BYTES = 5 * 1024 * 1024;

/** `/programacion/importar`: CSV imports (S8, G6, P6, V7) with a dry run, the per-row report and the S9 templates. */
export default function ImportPage() {
  const [search, set] = useUrlState<{ kind?: ImportKind }>();
  const kind = KINDS.some((k) => k.value === search.kind) ? search.kind! : 'schedules';
  const [file, setFile] = useState<File | null>(null);
  const [onExisting, setOnExisting] = useState<'error' | 'skip'>('error');
  const [outcome, setOutcome] = useState<ImportOutcome | null>(null);
  const upload = useImport();
  const template = useTemplateDownload();
  const info = KINDS.find((k) => k.value === kind)!;
  const tooBig = file !== null && file.size > MAX_BYTES;

  function run(dryRun: boolean) {
    if (!file) return;
    setOutcome(null);
    upload.mutate({ kind, file, dryRun, onExisting }, { onSuccess: setOutcome });
  }

  return (
    <Stack>
      <ProgrammingHeader title="Importar CSV" />
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <Select
          label="Qué importa"
          allowDeselect={false}
          value={kind}
          onChange={(v) => {
            setOutcome(null);
            upload.reset();
            set({ kind: (v as ImportKind) ?? 'schedules' });
          }}
          data={KINDS.map(({ value, label }) => ({ value, label }))}
        />
        <Select
          label="Si un registro ya existe"
          allowDeselect={false}
          value={onExisting}
          onChange={(v) => setOnExisting(v === 'skip' ? 'skip' : 'error')}
          data={[
            { value: 'error', label: 'Marcarlo como error' },
            { value: 'skip', label: 'Omitirlo' },
          ]}
        />
      </SimpleGrid>
      <Text size="sm">
        Columnas: {info.columns}. UTF-8, separado por comas o punto y coma, hasta 5 MB. Fechas AAAA-MM-DD o DD/MM/AAAA.
      </Text>
      <Group>
        <Button variant="light" leftSection={<IconDownload size={16} aria-hidden />} onClick={() => template.mutate(kind)} loading={template.isPending}>
          Descargar plantilla
        </Button>
      </Group>
      {template.isError && (
        <Text c="red.8" role="alert">
          {messageOf(template.error)}
        </Text>
      )}
      <FileInput
        label="Archivo CSV"
        placeholder="Elija el archivo"
        accept=".csv,text/csv"
        clearable
        clearButtonProps={{ 'aria-label': 'Quitar archivo' }}
        leftSection={<IconFileTypeCsv size={16} aria-hidden />}
        value={file}
        onChange={(f) => {
          setFile(f);
          setOutcome(null);
          upload.reset();
        }}
        error={tooBig ? 'El archivo supera 5 MB' : undefined}
      />
      <Group>
        <Button variant="default" onClick={() => run(true)} disabled={!file || tooBig} loading={upload.isPending && upload.variables?.dryRun}>
          Validar sin guardar
        </Button>
        <Button onClick={() => run(false)} disabled={!file || tooBig} loading={upload.isPending && !upload.variables?.dryRun}>
          Importar
        </Button>
      </Group>
      {upload.isError && (
        <Alert color="#a51d1d" title="No se pudo importar" role="alert">
          {messageOf(upload.error)}
        </Alert>
      )}
      {outcome && <ImportReportView report={outcome.report} message={outcome.ok ? undefined : outcome.message} createdLabel={(n) => `${n} ${n === 1 ? 'fila creada' : 'filas creadas'}`} />}
    </Stack>
  );
}
