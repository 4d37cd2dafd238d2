import { describe, expect, it } from 'vitest';
import { tri } from '../../src/lib/filters';
import { createStore } from '../../src/lib/store';
import { looksLikeEmail, nameTooLong, NAME_MAX } from '../../src/lib/validate';
import { graphqlWsUrl } from '../../src/lib/ws';

describe('graphqlWsUrl', () => {
  it('uses ws:// beside http:// and wss:// beside https://, same host', () => {
    expect(graphqlWsUrl({ protocol: 'http:', host: '127.0.0.1:8080' })).toBe('ws://127.0.0.1:8080/graphql/ws');
    expect(graphqlWsUrl({ protocol: 'https:', host: 'site.example' })).toBe('wss://site.example/graphql/ws');
  });
});

describe('looksLikeEmail', () => {
  it('is loose: something@something without spaces', () => {
    expect(looksLikeEmail('owner@example.com')).toBe(true);
    expect(looksLikeEmail('  ayşe@örnek.com.tr ')).toBe(true);
    expect(looksLikeEmail('owner')).toBe(false);
    expect(looksLikeEmail('a b@c')).toBe(false);
    expect(looksLikeEmail('@c')).toBe(false);
  });
});

describe('nameTooLong', () => {
  it('allows up to 100 characters after trimming', () => {
    expect(NAME_MAX).toBe(100);
    expect(nameTooLong('ş'.repeat(100))).toBe(false);
    expect(nameTooLong(` ${'a'.repeat(100)} `)).toBe(false);
    expect(nameTooLong('a'.repeat(101))).toBe(true);
  });
});

describe('createStore', () => {
  it('notifies subscribers of changes only', () => {
    const store = createStore(1);
    const seen: number[] = [];
    const stop = store.subscribe((v) => seen.push(v));
    store.set(1);
    store.set(2);
    stop();
    store.set(3);
    expect(seen).toEqual([2]);
    expect(store.get()).toBe(3);
  });
});

describe('tri', () => {
  it('asks for both when no choice is made, else for yes or no', () => {
    expect(tri('')).toBeNull();
    expect(tri('yes')).toBe(true);
    expect(tri('no')).toBe(false);
  });
});
