/**
 * W1: Twilio's status callback form (only the fields SICORA reads; Twilio sends more).
 */
import { Type } from 'typebox';

export const TwilioStatusBody = Type.Object({ MessageSid: Type.String({ maxLength: 64 }), MessageStatus: Type.String({ maxLength: 32 }), ErrorCode: Type.Optional(Type.String({ maxLength: 16 })) });
export const TwilioStatusAnswer = Type.Object({});
