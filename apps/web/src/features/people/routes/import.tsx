import { Alert, Anchor, Button, FileInput, Group, Select, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { IconArrowLeft, IconDownload, IconFileTypeCsv } from '@tabler/icons-react';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { messageOf } from '../../../lib/errors.ts';
import { IMPORT_MAX_BYTES, useImportUsers, useTemplateDownload, type ImportOutcome } from '../api/files.ts';
import { UsersImportReport } from '../components/import-report.tsx';

/**
 * `/personas/importar` (users B1, B2): a ficha's apprentices (or instructors) from a CSV with a `ficha`
 * column: validate without saving, import, and the per-row report of §6.1 to fix the file; the B2 template
 * is fetched with the token and saved from a blob. Nothing is written while any row has an error.
 */
export default function ImportPeoplePage() {
  const [file, setFile] = useState<File | null>(null);
  const [role, setRole] = useState<'aprendiz' | 'instructor' | 'column'>('column');
  const [onExisting, setOnExisting] = useState<'error' | 'skip'>('error');
  const [outcome, setOutcome] = useState<ImportOutcome | null>(null);
  const upload = useImportUsers();
  const template = useTemplateDownload();
  const tooBig = file !== null && file.size > IMPORT_MAX_BYTES;
  const fichas = outcome?.ok && !outcome.report.dry_run ? [...new Set(outcome.report.created_users.map((u) => u.group_number).filter((g): g is string => g !== null))] : [];

  function run(dryRun: boolean) {
    if (!file) return;
    setOutcome(null);
    upload.mutate({ file, dryRun, onExisting, role: role === 'column' ? undefined : role }, { onSuccess: setOutcome });
  }

  return (
    <Stack>
      <Anchor component={Link} to="/personas" size="sm">
        <Group gap={4} component="span">
          <IconArrowLeft size={16} aria-hidden />
          Volver a Personas
        </Group>
      </Anchor>
      <Title order={1}>Importar personas</Title>
      <Text>
        Cargue los aprendices de una ficha (o instructores) desde un archivo CSV. Columnas: nombres, apellidos, correo, tipo_documento, documento, rol y ficha (para
        aprendices); teléfono y área son opcionales. UTF-8, separado por comas o punto y coma, hasta 5 MB y 10 000 filas. La primera contraseña de cada persona es su
        número de documento.
      </Text>
      <Group>
        <Button variant="light" leftSection={<IconDownload size={16} aria-hidden />} onClick={() => template.mutate()} loading={template.isPending}>
          Descargar plantilla
        </Button>
      </Group>
      {template.isError && (
        <Alert color="red" role="alert" title="No se pudo descargar la plantilla">
          {messageOf(template.error)}
        </Alert>
      )}
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <Select
          label="Rol de las filas"
          allowDeselect={false}
          value={role}
          onChange={(v) => setRole(v === 'aprendiz' || v === 'instructor' ? v : 'column')}
          data={[
            { value: 'column', label: 'El que indica la columna rol' },
            { value: 'aprendiz', label: 'Aprendiz (archivo sin columna rol)' },
            { value: 'instructor', label: 'Instructor (archivo sin columna rol)' },
          ]}
        />
        <Select
          label="Si la persona ya existe"
          allowDeselect={false}
          value={onExisting}
          onChange={(v) => setOnExisting(v === 'skip' ? 'skip' : 'error')}
          data={[
            { value: 'error', label: 'Marcarlo como error' },
            { value: 'skip', label: 'Omitirla (mismo correo y documento)' },
          ]}
        />
      </SimpleGrid>
      <FileInput
        label="Archivo CSV"
        placeholder="Elija el archivo"
        accept=".csv,text/csv"
        clearable
        clearButtonProps={{ 'aria-label': 'Quitar el archivo' }}
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
        <Alert color="red" title="No se pudo importar" role="alert">
          {messageOf(upload.error)}
        </Alert>
      )}
      {outcome && <UsersImportReport report={outcome.report} message={outcome.ok ? undefined : outcome.message} />}
      {fichas.length > 0 && (
        <Group>
          {fichas.map((g) => (
            <Button key={g} component={Link} to="/personas" search={{ group_number: g, role: 'aprendiz' } as never} variant="light">
              Ver los aprendices de la ficha {g}
            </Button>
          ))}
        </Group>
      )}
    </Stack>
  );
}
