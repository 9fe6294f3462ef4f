/**
 * CSV uploads (00-conventions §6.1) and non-JSON answers: the transport rules every import shares, and
 * documents that list the multipart body and the real media types.
 */
import { Type } from 'typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorResponses } from '../src/envelope.ts';
import { MediaResponse } from '../src/schemas.ts';
import { createServer, type App } from '../src/server.ts';
import { expectError } from '../src/testing/http.ts';
import { csvUploadSchema, readCsvUpload, registerUploads } from '../src/uploads.ts';

const MAX = 64;
let app: App;
let doc: { paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: Record<string, unknown> }> }; responses: Record<string, { content?: Record<string, unknown> }> }>> };

function form(parts: Array<{ name: string; value: string; filename?: string; type?: string }>): { payload: Buffer; headers: Record<string, string> } {
  const boundary = '----upload-test';
  const chunks = parts.map((p) => {
    const disposition = p.filename ? `form-data; name="${p.name}"; filename="${p.filename}"` : `form-data; name="${p.name}"`;
    return `--${boundary}\r\nContent-Disposition: ${disposition}\r\n${p.type ? `Content-Type: ${p.type}\r\n` : ''}\r\n${p.value}\r\n`;
  });
  return { payload: Buffer.from(`${chunks.join('')}--${boundary}--\r\n`), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

beforeAll(async () => {
  app = await createServer({ name: 'probe', config: { logLevel: 'silent', corsOrigins: ['*'], bodyLimit: 4096, publicBaseUrl: 'http://localhost:8000' } });
  await registerUploads(app, { maxBytes: MAX, fields: 2 });
  app.post('/api/v1/things/import', {
    schema: {
      ...csvUploadSchema({ description: 'Cosas: name,size.', maxBytes: MAX, fields: { dry_run: Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('false')])) } }),
      response: { 200: Type.Object({ bytes: Type.Integer(), fields: Type.Record(Type.String(), Type.String()) }), ...errorResponses(413, 415, 422) },
    },
  }, async (request) => {
    const upload = await readCsvUpload(request, MAX);
    return { bytes: upload.bytes.length, fields: upload.fields };
  });
  app.get('/api/v1/things/export', {
    schema: { response: { 200: MediaResponse('Cosas en CSV', 'text/csv'), ...errorResponses(422) } },
  }, async (_request, reply) => reply.type('text/csv; charset=utf-8').send('name,size\r\nmesa,2\r\n'));
  await app.ready();
  doc = (await app.inject({ method: 'GET', url: '/docs/json' })).json();
});

afterAll(async () => {
  await app.close();
});

describe('CSV uploads', () => {
  it('when a .csv part and a field are sent, then the handler gets the bytes and the field', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/things/import', ...form([{ name: 'dry_run', value: 'true' }, { name: 'file', value: 'name,size\r\nmesa,2', filename: 'cosas.csv', type: 'text/csv' }]) });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ bytes: 17, fields: { dry_run: 'true' } });
  });

  it('when a field comes after the file, then it is read too', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/things/import', ...form([{ name: 'file', value: 'name,size', filename: 'cosas.csv', type: 'text/csv' }, { name: 'dry_run', value: 'true' }]) });
    expect(res.json()).toEqual({ bytes: 9, fields: { dry_run: 'true' } });
  });

  it('when a file comes in another part, then 422 naming that part', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/things/import', ...form([{ name: 'adjunto', value: 'a,b', filename: 'cosas.csv', type: 'text/csv' }]) });
    expect((expectError(res, 422, 'VALIDATION_ERROR').details as { fields: unknown[] }).fields).toEqual([expect.objectContaining({ field: 'adjunto', reason: 'unknown_part' })]);
  });

  it('when the body is JSON, then 415', async () => {
    await expectError(await app.inject({ method: 'POST', url: '/api/v1/things/import', payload: { file: 'a,b' } }), 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('when the file part is missing, then 422 naming file', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/things/import', ...form([{ name: 'dry_run', value: 'true' }]) });
    const error = expectError(res, 422, 'VALIDATION_ERROR');
    expect((error.details as { fields: unknown[] }).fields).toEqual([expect.objectContaining({ field: 'file', reason: 'required' })]);
  });

  it('when the part is not a .csv of a CSV media type, then 415', async () => {
    await expectError(await app.inject({ method: 'POST', url: '/api/v1/things/import', ...form([{ name: 'file', value: 'x', filename: 'cosas.xlsx', type: 'text/csv' }]) }), 415, 'UNSUPPORTED_MEDIA_TYPE');
    await expectError(await app.inject({ method: 'POST', url: '/api/v1/things/import', ...form([{ name: 'file', value: 'x', filename: 'cosas.csv', type: 'image/png' }]) }), 415, 'UNSUPPORTED_MEDIA_TYPE');
    await expectError(await app.inject({ method: 'POST', url: '/api/v1/things/import', ...form([{ name: 'file', value: 'x', filename: 'cosas.csv', type: 'text/plain' }]) }), 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('when the file is over the limit, then 413 with max_bytes', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/things/import', ...form([{ name: 'file', value: 'x'.repeat(MAX + 1), filename: 'cosas.csv', type: 'text/csv' }]) });
    const error = expectError(res, 413, 'PAYLOAD_TOO_LARGE');
    expect(error.details).toEqual({ max_bytes: MAX });
  });

  it('then the document lists the multipart body with the file part and the fields, and no x-upload', () => {
    const op = doc.paths['/api/v1/things/import'].post as Record<string, unknown> & { requestBody?: { content: Record<string, { schema: Record<string, unknown> }> } };
    expect(Object.keys(op.requestBody?.content ?? {})).toEqual(['multipart/form-data']);
    const schema = op.requestBody?.content['multipart/form-data'].schema as { properties: Record<string, { contentMediaType?: string; description?: string }>; required: string[] };
    expect(schema.required).toEqual(['file']);
    expect(schema.properties.file.contentMediaType).toBe('text/csv');
    expect(schema.properties.file.description).toContain(`${MAX} bytes`);
    expect(Object.keys(schema.properties)).toEqual(['file', 'dry_run']);
    expect(op['x-upload']).toBeUndefined();
  });
});

describe('answers in other media types', () => {
  it('when a CSV is answered, then it is sent as is and the document lists text/csv for 200, JSON for errors', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/things/export' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.body).toBe('name,size\r\nmesa,2\r\n');
    const responses = doc.paths['/api/v1/things/export'].get.responses;
    expect(Object.keys(responses['200'].content ?? {})).toEqual(['text/csv']);
    expect(Object.keys(responses['422'].content ?? {})).toEqual(['application/json']);
  });
});
