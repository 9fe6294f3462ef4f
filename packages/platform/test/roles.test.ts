import { describe, expect, it } from 'vitest';
import { ADMINS, COORDINATION, EVERYONE, inGroup, isRole, normalizeRole, PEOPLE, PERSONNEL, roleGroup, ROLES, STAFF, type Role } from '../src/roles.ts';

describe('role groups', () => {
  it('when the named groups are read, then each is the set the specs repeat, in the canonical order', () => {
    expect(ADMINS).toEqual(['admin']);
    expect(COORDINATION).toEqual(['admin', 'coordinador']);
    expect(STAFF).toEqual(['admin', 'coordinador', 'administrativo']);
    expect(PERSONNEL).toEqual(['admin', 'coordinador', 'administrativo', 'instructor']);
    expect(PEOPLE).toEqual(['admin', 'coordinador', 'administrativo', 'instructor', 'aprendiz']);
    expect(EVERYONE).toEqual(ROLES);
    expect(PEOPLE).not.toContain('service');
  });

  it('when a group is built from groups and roles, then the order given is kept without duplicates', () => {
    const readers: readonly Role[] = roleGroup(STAFF, 'instructor', 'service');
    expect(readers).toEqual(['admin', 'coordinador', 'administrativo', 'instructor', 'service']);
    expect(roleGroup('service', COORDINATION, 'instructor', 'admin')).toEqual(['service', 'admin', 'coordinador', 'instructor']);
    expect(roleGroup()).toEqual([]);
  });

  it('when membership is asked with any string, then only a role of the group answers true', () => {
    expect(inGroup(STAFF, 'coordinador')).toBe(true);
    expect(inGroup(STAFF, 'instructor')).toBe(false);
    expect(inGroup(STAFF, undefined)).toBe(false);
    expect(inGroup(EVERYONE, 'root')).toBe(false);
    expect(isRole('service')).toBe(true);
    expect(isRole('Admin')).toBe(false);
    expect(isRole(1)).toBe(false);
  });

  it('when an English alias or another case is given, then it normalises to the stored role', () => {
    expect(normalizeRole(' Apprentice ')).toBe('aprendiz');
    expect(normalizeRole('COORDINATOR')).toBe('coordinador');
    expect(normalizeRole('administrative')).toBe('administrativo');
    expect(normalizeRole('instructor')).toBe('instructor');
    expect(normalizeRole('teacher')).toBeUndefined();
  });
});
