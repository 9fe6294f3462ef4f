/**
 * Schemas of A13–A14: the dashboard page and its two static assets.
 */
import { Type } from 'typebox';
import { MediaResponse } from '@sicora/platform/schemas';

export const HtmlSchema = MediaResponse('La página del tablero (HTML en español, sin datos)', 'text/html');
export const AssetParams = Type.Object({ file: Type.String({ maxLength: 20 }) });
/** `app.js` is JavaScript, `app.css` a stylesheet. */
export const AssetSchema = MediaResponse('El script o la hoja de estilos del tablero', 'text/javascript', 'text/css');
