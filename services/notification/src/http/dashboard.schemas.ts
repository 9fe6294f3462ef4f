/**
 * Schemas of A13–A14: the dashboard page and its two static assets.
 */
import { Type } from 'typebox';

export const HtmlSchema = Type.Unknown({ description: 'text/html' });
export const AssetParams = Type.Object({ file: Type.String({ maxLength: 20 }) });
export const AssetSchema = Type.Unknown({ description: 'static file' });
