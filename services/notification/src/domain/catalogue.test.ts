import { describe, expect, it } from 'vitest';
import { CATALOGUE, catalogueEntry, CONTEXT_VARIABLES, variablesOf } from './catalogue.ts';
import { categoryOf } from './enums.ts';

describe('event catalogue (§7)', () => {
  it('when counted, then 64 types with 148 (type, channel) templates', () => {
    expect(CATALOGUE.size).toBe(64);
    expect([...CATALOGUE.values()].reduce((n, e) => n + e.channels.length, 0)).toBe(148);
  });

  it('when flags are read, then M, I and S follow the spec table', () => {
    const reset = catalogueEntry('user.password_reset_requested')!;
    expect(reset).toMatchObject({ priority: 'high', channels: ['email'], mandatory: true, inactiveAllowed: false, sensitive: ['reset_url'] });
    expect(catalogueEntry('user.deactivated')).toMatchObject({ mandatory: true, inactiveAllowed: true, channels: ['email'] });
    expect(catalogueEntry('system.test')).toMatchObject({ mandatory: true, channels: ['in_app', 'email', 'push', 'sms'] });
    expect(catalogueEntry('kb.item.published')).toMatchObject({ priority: 'low', channels: ['in_app', 'email'], mandatory: false, sensitive: [] });
    expect(catalogueEntry('attendance.alert_for_student')!.channels).toEqual(['in_app', 'email', 'push', 'sms']);
    expect(catalogueEntry('unknown.type')).toBeUndefined();
    // R60: a type with a sensitive variable has no in_app template.
    for (const e of CATALOGUE.values()) if (e.sensitive.length > 0) expect(e.channels).not.toContain('in_app');
  });

  it('when a type is catalogued, then its texts only use its variables or the R12 context', () => {
    for (const e of CATALOGUE.values()) {
      const allowed = new Set([...e.extra, ...CONTEXT_VARIABLES]);
      for (const v of [...variablesOf(e.subject), ...variablesOf(e.body)]) expect(allowed.has(v), `${e.type}: ${v}`).toBe(true);
      expect(categoryOf(e.type)).not.toBe('general');
    }
  });
});

describe('template variables', () => {
  it('when a text is scanned, then strings, filters, attributes, loop variables and keywords are not variables', () => {
    expect(variablesOf('Hola {{ first_name }}')).toEqual(['first_name']);
    expect(variablesOf('{{ "eliminada" if reason == "deleted" else "desactivada" }}')).toEqual(['reason']);
    expect(variablesOf('{{ decision_label | lower }} {{ end_date | fecha }}')).toEqual(['decision_label', 'end_date']);
    expect(variablesOf('{% for item in items %}{{ item.title }}{% endfor %}')).toEqual(['items']);
    expect(variablesOf('{{ recipient.first_name }} {{ items | length }}')).toEqual(['recipient', 'items']);
    expect(variablesOf('sin variables')).toEqual([]);
  });
});
