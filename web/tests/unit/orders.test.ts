import { describe, expect, it } from 'vitest';
import type { OrderStatus } from '../../src/generated/graphql';
import { apiErrorFrom } from '../../src/lib/errors';
import { translate } from '../../src/lib/i18n';
import {
  ACTION_LABEL,
  addressLines,
  allowedMoves,
  isStaleOrder,
  moveFieldOfError,
  NEXT_STEP,
  noteProblem,
  ORDER_STATUSES,
  shipmentProblems,
  STATUS_BADGE,
  STATUS_LABEL,
} from '../../src/dashboard/shop/orders';

const moves = (status: OrderStatus) => allowedMoves(status).map((m) => `${m.action}→${m.to}`);

describe('allowedMoves', () => {
  it('offers exactly the moves the server allows', () => {
    expect(moves('AWAITING_PAYMENT')).toEqual(['markPaid→PREPARING', 'cancel→CANCELLED']);
    expect(moves('PREPARING')).toEqual(['ship→SHIPPED', 'cancel→CANCELLED']);
    expect(moves('SHIPPED')).toEqual(['deliver→DELIVERED']);
    expect(moves('DELIVERED')).toEqual([]);
    expect(moves('CANCELLED')).toEqual([]);
  });

  it('never offers cancelling once shipped, nor going back', () => {
    const order = ORDER_STATUSES;
    for (const from of order) {
      for (const move of allowedMoves(from)) {
        if (move.to === 'CANCELLED') expect(['AWAITING_PAYMENT', 'PREPARING']).toContain(from);
        else expect(order.indexOf(move.to)).toBe(order.indexOf(from) + 1);
      }
    }
  });

  it('names every status, move and next step in both languages', () => {
    expect(ORDER_STATUSES).toHaveLength(5);
    for (const status of ORDER_STATUSES) {
      expect(translate('tr', STATUS_LABEL[status])).not.toBe(STATUS_LABEL[status]);
      expect(translate('en', NEXT_STEP[status])).not.toBe(NEXT_STEP[status]);
      expect(STATUS_BADGE[status]).toMatch(/^badge-/);
    }
    expect(translate('tr', ACTION_LABEL.markPaid)).toBe('Ödeme alındı');
    expect(translate('tr', STATUS_LABEL.SHIPPED)).toBe('Kargoda');
  });
});

describe('the shipping form', () => {
  it('needs both the carrier and the tracking number, each at most 60 characters', () => {
    expect(shipmentProblems({ carrier: 'Aras Kargo', trackingNumber: '123' })).toEqual({});
    expect(shipmentProblems({ carrier: '  ', trackingNumber: '' })).toEqual({ carrier: { key: 'error.required' }, trackingNumber: { key: 'error.required' } });
    expect(shipmentProblems({ carrier: 'x'.repeat(61), trackingNumber: '1' })).toEqual({ carrier: { key: 'error.tooLong', params: { max: 60 } } });
    expect(shipmentProblems({ carrier: 'ş'.repeat(60), trackingNumber: '1' })).toEqual({});
  });

  it('takes a note of up to 500 characters', () => {
    expect(noteProblem('')).toBeNull();
    expect(noteProblem(`  ${'a'.repeat(500)}  `)).toBeNull();
    expect(noteProblem('a'.repeat(501))).toEqual({ key: 'error.tooLong', params: { max: 500 } });
  });

  it('puts the server’s refusals at the field they name', () => {
    expect(moveFieldOfError('carrier')).toBe('carrier');
    expect(moveFieldOfError('trackingNumber')).toBe('trackingNumber');
    expect(moveFieldOfError('note')).toBe('note');
    expect(moveFieldOfError('status')).toBeNull();
    expect(moveFieldOfError(null)).toBeNull();
  });
});

describe('isStaleOrder', () => {
  it('knows a refused move or a clash means the page is out of date', () => {
    expect(isStaleOrder(apiErrorFrom({ message: 'An order cannot go from shipped to cancelled.', extensions: { code: 'BAD_USER_INPUT', reason: 'TRANSITION_NOT_ALLOWED', field: 'status' } }))).toBe(true);
    expect(isStaleOrder(apiErrorFrom({ message: 'The order changed at the same moment; reload it and try again.', extensions: { code: 'CONFLICT' } }))).toBe(true);
    expect(isStaleOrder(apiErrorFrom({ message: 'carrier cannot be empty.', extensions: { code: 'BAD_USER_INPUT', field: 'carrier' } }))).toBe(false);
    expect(isStaleOrder(new Error('x'))).toBe(false);
  });
});

describe('addressLines', () => {
  it('gives the address one line each, without empty ones', () => {
    expect(addressLines('Atatürk Cad. 1\n\nKadıköy / İstanbul\r\n34710\nTR\n')).toEqual(['Atatürk Cad. 1', 'Kadıköy / İstanbul', '34710', 'TR']);
  });
});
