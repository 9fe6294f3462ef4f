/**
 * W1: Twilio's delivery receipts (R42). The signature is HMAC-SHA1 with TWILIO_AUTH_TOKEN over the public
 * callback URL (not the URL seen behind the gateway) plus the sorted form fields.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AppError, errors } from '@sicora/platform/errors';
import { errorResponses } from '@sicora/platform/envelope';
import type { ReceiptsService } from '../application/receipts.service.ts';
import { TwilioStatusAnswer, TwilioStatusBody } from './twilio-status.schemas.ts';

export function twilioSignature(authToken: string, url: string, params: Record<string, string>): string {
  const data = url + Object.keys(params).sort().map((k) => k + params[k]).join('');
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
}

export interface TwilioStatusRoutesOptions { receipts: ReceiptsService; authToken?: string; callbackUrl?: string }

/** The form parser below is this plugin's own: nothing else of the service accepts form bodies. */
export const twilioStatusRoutes: FastifyPluginAsyncTypebox<TwilioStatusRoutesOptions> = async (app, d) => {
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(String(body))));
  });
  app.post('/api/v1/notifications/providers/twilio/status', {
    // Twilio posts a form; any other body is refused before it is read (the JSON parser is the app's).
    onRequest: async (request) => {
      if (!/^application\/x-www-form-urlencoded\b/i.test(String(request.headers['content-type'] ?? ''))) throw errors.unsupportedMediaType('Twilio envía un formulario (application/x-www-form-urlencoded)');
    },
    schema: {
      summary: 'Recibo de entrega de Twilio (W1)', description: 'Formulario de Twilio firmado con `X-Twilio-Signature`; `delivered` → entregada, `undelivered`/`failed` → fallida.', tags: ['providers'],
      consumes: ['application/x-www-form-urlencoded'],
      body: TwilioStatusBody,
      response: { 200: TwilioStatusAnswer, ...errorResponses(403, 415, 422) },
    },
  }, async (request) => {
    const body = request.body as Record<string, string>;
    const given = String(request.headers['x-twilio-signature'] ?? '');
    const expected = d.authToken && d.callbackUrl ? twilioSignature(d.authToken, d.callbackUrl, body) : '';
    const ok = expected.length > 0 && given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected));
    if (!ok) throw new AppError('INVALID_SIGNATURE', 'forbidden', 'Firma de Twilio no válida');
    await d.receipts.apply(body.MessageSid, body.MessageStatus, body.ErrorCode ?? null);
    return {};
  });
};
